import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Pod rows, the cases of upstream's `TestPrintPod`, `TestPrintPodWithRestartableInitContainer`,
/// `TestPrintPodwide` and `TestPrintNonTerminatedPod`, plus init failure reasons and NodeLost.
struct PrinterPodTests {
    typealias F = PrinterFixture

    struct Case: Sendable, CustomTestStringConvertible {
        var pod: CoreV1.Pod
        var expected: [String]
        var testDescription: String { pod.metadata.name ?? "" }
    }

    // MARK: Builders

    enum State: Sendable {
        case none, running, waiting(String?), terminated(reason: String?, exitCode: Int32 = 0, signal: Int32? = nil)
    }

    static func status(_ state: State = .none, ready: Bool = false, restarts: Int32 = 0, name: String = "",
                       started: Bool? = nil, lastFinishedAgo: Int64? = nil) -> CoreV1.ContainerStatus {
        let current: CoreV1.ContainerState
        switch state {
        case .none: current = CoreV1.ContainerState()
        case .running: current = CoreV1.ContainerState(running: CoreV1.ContainerStateRunning())
        case .waiting(let reason): current = CoreV1.ContainerState(waiting: CoreV1.ContainerStateWaiting(reason: reason))
        case .terminated(let reason, let exitCode, let signal):
            current = CoreV1.ContainerState(terminated: CoreV1.ContainerStateTerminated(exitCode: exitCode, reason: reason, signal: signal))
        }
        let last = lastFinishedAgo.map {
            CoreV1.ContainerState(terminated: CoreV1.ContainerStateTerminated(finishedAt: F.ago($0)))
        }
        return CoreV1.ContainerStatus(lastState: last, name: name, ready: ready, restartCount: restarts,
                                      started: started, state: current)
    }

    static func pod(_ name: String, containers: Int = 1, initContainers: [CoreV1.Container]? = nil,
                    phase: String? = nil, reason: String? = nil, deleted: Bool = false,
                    statuses: [CoreV1.ContainerStatus]? = nil, initStatuses: [CoreV1.ContainerStatus]? = nil,
                    conditions: [CoreV1.PodCondition]? = nil) -> CoreV1.Pod {
        CoreV1.Pod(
            metadata: F.meta(name, deleted: deleted ? F.ago(10) : nil),
            spec: CoreV1.PodSpec(containers: Array(repeating: CoreV1.Container(), count: containers),
                                 initContainers: initContainers),
            status: CoreV1.PodStatus(conditions: conditions, containerStatuses: statuses,
                                     initContainerStatuses: initStatuses, phase: phase, reason: reason))
    }

    static func inits(_ count: Int) -> [CoreV1.Container] { Array(repeating: CoreV1.Container(), count: count) }
    static func sidecar(_ name: String) -> CoreV1.Container { CoreV1.Container(name: name, restartPolicy: "Always") }
    static func condition(_ type: String, _ status: String, reason: String? = nil) -> CoreV1.PodCondition {
        CoreV1.PodCondition(reason: reason, status: status, type: type)
    }

    // MARK: TestPrintPod

    static let printPodCases: [Case] = [
        Case(pod: pod("test1", containers: 2, phase: "podPhase",
                      statuses: [status(.running, ready: true, restarts: 3), status(restarts: 3)]),
             expected: ["test1", "1/2", "podPhase", "6", "<unknown>"]),
        Case(pod: pod("test2", containers: 2, phase: "podPhase",
                      statuses: [status(.running, ready: true, restarts: 3), status(.waiting("ContainerWaitingReason"), restarts: 3)]),
             expected: ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"]),
        Case(pod: pod("test3", containers: 2, phase: "podPhase",
                      statuses: [status(.waiting("ContainerWaitingReason"), restarts: 3),
                                 status(.terminated(reason: "ContainerTerminatedReason"), restarts: 3)]),
             expected: ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"]),
        Case(pod: pod("test4", containers: 2, phase: "podPhase",
                      statuses: [status(.running, ready: true, restarts: 3), status(ready: true, restarts: 3)]),
             expected: ["test4", "1/2", "podPhase", "6", "<unknown>"]),
        Case(pod: pod("test5", containers: 2, phase: "podPhase", reason: "podReason",
                      statuses: [status(.running, ready: true, restarts: 3), status(ready: true, restarts: 3)]),
             expected: ["test5", "1/2", "podReason", "6", "<unknown>"]),
        Case(pod: pod("test6-not-ready", containers: 2, phase: "Running",
                      statuses: [status(.terminated(reason: "Completed"), ready: true, restarts: 3),
                                 status(.running, ready: true, restarts: 3)]),
             expected: ["test6-not-ready", "1/2", "NotReady", "6", "<unknown>"]),
        Case(pod: pod("test6-ready", containers: 2, phase: "Running",
                      statuses: [status(.terminated(reason: "Completed"), ready: true, restarts: 3),
                                 status(.running, ready: true, restarts: 3)],
                      conditions: [condition("Ready", "True")]),
             expected: ["test6-ready", "1/2", "Running", "6", "<unknown>"]),
        Case(pod: pod("test7", initContainers: inits(1), phase: "podPhase",
                      statuses: [status(.waiting(nil))],
                      initStatuses: [status(.running, restarts: 3, lastFinishedAgo: 10)]),
             expected: ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"]),
        Case(pod: pod("test8", initContainers: inits(2), phase: "podPhase",
                      statuses: [status(.waiting(nil))],
                      initStatuses: [status(.running, restarts: 3, lastFinishedAgo: 10), status(.waiting(nil))]),
             expected: ["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"]),
        Case(pod: pod("test9", initContainers: inits(2), phase: "podPhase",
                      statuses: [status(.waiting(nil))],
                      initStatuses: [status(.terminated(reason: nil)), status(.running, restarts: 3, lastFinishedAgo: 10)]),
             expected: ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"]),
        Case(pod: pod("test10", initContainers: inits(2), phase: "podPhase",
                      statuses: [status(.waiting(nil))],
                      initStatuses: [status(.terminated(reason: nil), restarts: 2, lastFinishedAgo: 120),
                                     status(.running, restarts: 3, lastFinishedAgo: 10)]),
             expected: ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"]),
        Case(pod: pod("test11", initContainers: inits(1), phase: "Running",
                      statuses: [status(.running, restarts: 4, lastFinishedAgo: 20)],
                      initStatuses: [status(.terminated(reason: nil), restarts: 2, lastFinishedAgo: 120)]),
             expected: ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"]),
        Case(pod: pod("test12", phase: "Running",
                      statuses: [status(.running, ready: true, restarts: 3, lastFinishedAgo: 5 * F.day)]),
             expected: ["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"]),
        Case(pod: pod("test13", containers: 2, phase: "Running",
                      statuses: [status(.running, ready: true),
                                 status(.running, ready: true, restarts: 3, lastFinishedAgo: 10 * F.day)]),
             expected: ["test13", "2/2", "Running", "3 (10d ago)", "<unknown>"]),
        Case(pod: pod("test14", containers: 2, phase: "Running",
                      statuses: [status(.running, ready: true, restarts: 6, lastFinishedAgo: 5 * F.day),
                                 status(.running, ready: true, restarts: 3, lastFinishedAgo: 20 * F.day)]),
             expected: ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"]),
        Case(pod: pod("test15", containers: 2, phase: "podPhase",
                      conditions: [condition("PodScheduled", "False", reason: "SchedulingGated")]),
             expected: ["test15", "0/2", "SchedulingGated", "0", "<unknown>"]),
        Case(pod: pod("test16", phase: "Succeeded", statuses: [status(.terminated(reason: "Completed"))]),
             expected: ["test16", "0/1", "Completed", "0", "<unknown>"]),
        Case(pod: pod("test17", phase: "Failed", statuses: [status(.terminated(reason: "Error", exitCode: 1))]),
             expected: ["test17", "0/1", "Error", "0", "<unknown>"]),
        Case(pod: pod("test18", phase: "Succeeded", deleted: true, statuses: [status(.terminated(reason: "Completed"))]),
             expected: ["test18", "0/1", "Completed", "0", "<unknown>"]),
        Case(pod: pod("test19", phase: "Running", deleted: true, statuses: [status(.running)]),
             expected: ["test19", "0/1", "Terminating", "0", "<unknown>"]),
        Case(pod: pod("test20", phase: "Pending", deleted: true),
             expected: ["test20", "0/1", "Terminating", "0", "<unknown>"]),
    ]

    @Test(arguments: printPodCases)
    func printPod(_ sample: Case) {
        #expect(F.row(PodTableConvertor(), sample.pod) == sample.expected)
    }

    // MARK: TestPrintPodWithRestartableInitContainer

    static let sidecars = [sidecar("restartable-init-1"), sidecar("restartable-init-2")]

    static let restartableInit: [Case] = [
        Case(pod: pod("sidecar-not-started", initContainers: sidecars, phase: "Pending",
                      statuses: [status(.waiting(nil))],
                      initStatuses: [status(.running, restarts: 3, name: "restartable-init-1", started: false, lastFinishedAgo: 10),
                                     status(.waiting(nil), name: "restartable-init-2", started: false)],
                      conditions: [condition("Initialized", "False")]),
             expected: ["sidecar-not-started", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"]),
        Case(pod: pod("sidecar-one-started", initContainers: sidecars, phase: "Pending",
                      statuses: [status(.waiting(nil))],
                      initStatuses: [status(.running, restarts: 3, name: "restartable-init-1", started: true, lastFinishedAgo: 10),
                                     status(.running, name: "restartable-init-2", started: false)],
                      conditions: [condition("Initialized", "False")]),
             expected: ["sidecar-one-started", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"]),
        Case(pod: pod("sidecars-started", initContainers: sidecars, phase: "Running",
                      statuses: [status(.running, ready: true, restarts: 4, lastFinishedAgo: 20)],
                      initStatuses: [status(.running, restarts: 3, name: "restartable-init-1", started: true, lastFinishedAgo: 10),
                                     status(.running, name: "restartable-init-2", started: true)],
                      conditions: [condition("Initialized", "True")]),
             expected: ["sidecars-started", "1/3", "Running", "7 (10s ago)", "<unknown>"]),
        Case(pod: pod("sidecars-completed", initContainers: sidecars, phase: "Succeeded",
                      statuses: [status(.terminated(reason: "Completed"), restarts: 4, lastFinishedAgo: 20)],
                      initStatuses: [status(.terminated(reason: "Error", exitCode: 137), restarts: 3, name: "restartable-init-1",
                                            started: false, lastFinishedAgo: 10),
                                     status(.terminated(reason: "Error", exitCode: 137), name: "restartable-init-2", started: false)],
                      conditions: [condition("Initialized", "True")]),
             expected: ["sidecars-completed", "0/3", "Completed", "7 (10s ago)", "<unknown>"]),
        Case(pod: CoreV1.Pod(
                metadata: F.meta("unknown-statuses"),
                spec: CoreV1.PodSpec(containers: F.containers([("container1", "containerimage")]),
                                     initContainers: [CoreV1.Container(image: "initimage", name: "init1"),
                                                      CoreV1.Container(image: "sidecarimage", name: "sidecar1", restartPolicy: "Always")]),
                status: CoreV1.PodStatus(
                    containerStatuses: [status(name: "containerinvalid"), status(name: "container1")],
                    initContainerStatuses: [status(name: "initinvalid"), status(name: "init1"), status(name: "sidecar1")],
                    phase: "Running")),
             expected: ["unknown-statuses", "0/2", "Init:0/2", "0", "<unknown>"]),
    ]

    @Test(arguments: restartableInit)
    func restartableInitContainers(_ sample: Case) {
        #expect(F.row(PodTableConvertor(), sample.pod) == sample.expected)
    }

    // MARK: More reasons

    static let reasons: [Case] = [
        Case(pod: pod("init-exit", initContainers: inits(1), phase: "Pending",
                      initStatuses: [status(.terminated(reason: nil, exitCode: 2))]),
             expected: ["init-exit", "0/1", "Init:ExitCode:2", "0", "<unknown>"]),
        Case(pod: pod("init-signal", initContainers: inits(1), phase: "Pending",
                      initStatuses: [status(.terminated(reason: nil, exitCode: 137, signal: 9))]),
             expected: ["init-signal", "0/1", "Init:Signal:9", "0", "<unknown>"]),
        Case(pod: pod("init-error", initContainers: inits(2), phase: "Pending",
                      initStatuses: [status(.terminated(reason: "Error", exitCode: 1))]),
             expected: ["init-error", "0/1", "Init:Error", "0", "<unknown>"]),
        Case(pod: pod("init-crashloop", initContainers: inits(1), phase: "Pending",
                      initStatuses: [status(.waiting("CrashLoopBackOff"), restarts: 4, lastFinishedAgo: 90)]),
             expected: ["init-crashloop", "0/1", "Init:CrashLoopBackOff", "4 (90s ago)", "<unknown>"]),
        Case(pod: pod("init-pod-initializing", initContainers: inits(1), phase: "Pending",
                      initStatuses: [status(.waiting("PodInitializing"))]),
             expected: ["init-pod-initializing", "0/1", "Init:0/1", "0", "<unknown>"]),
        Case(pod: pod("crashloop", phase: "Running",
                      statuses: [status(.waiting("CrashLoopBackOff"), restarts: 5, lastFinishedAgo: 5 * F.minute + 3)]),
             expected: ["crashloop", "0/1", "CrashLoopBackOff", "5 (5m3s ago)", "<unknown>"]),
        Case(pod: pod("exit-code", phase: "Running", statuses: [status(.terminated(reason: nil, exitCode: 3))]),
             expected: ["exit-code", "0/1", "ExitCode:3", "0", "<unknown>"]),
        Case(pod: pod("signal", phase: "Running", statuses: [status(.terminated(reason: nil, exitCode: 143, signal: 15))]),
             expected: ["signal", "0/1", "Signal:15", "0", "<unknown>"]),
        Case(pod: pod("node-lost", phase: "Running", reason: "NodeLost", deleted: true, statuses: [status(.running, ready: true)]),
             expected: ["node-lost", "1/1", "Unknown", "0", "<unknown>"]),
        Case(pod: pod("failed-deleted", phase: "Failed", deleted: true),
             expected: ["failed-deleted", "0/1", "Failed", "0", "<unknown>"]),
        Case(pod: pod("evicted", phase: "Failed", reason: "Evicted"),
             expected: ["evicted", "0/1", "Evicted", "0", "<unknown>"]),
    ]

    @Test(arguments: reasons)
    func statusReasons(_ sample: Case) {
        #expect(F.row(PodTableConvertor(), sample.pod) == sample.expected)
    }

    // MARK: TestPrintNonTerminatedPod

    static let phases: [(String, String)] = [
        ("Running", "Running"), ("Pending", "Pending"), ("Unknown", "Unknown"), ("Succeeded", "Succeeded"), ("Failed", "Failed"),
    ]

    @Test(arguments: phases)
    func phaseIsTheDefaultStatus(_ sample: (String, String)) {
        let pod = Self.pod("p", containers: 2, phase: sample.0,
                           statuses: [Self.status(.running, ready: true, restarts: 3), Self.status(restarts: 3)])
        #expect(F.row(PodTableConvertor(), pod) == ["p", "1/2", sample.1, "6", "<unknown>"])
    }

    // MARK: TestPrintPodwide

    @Test func wideColumns() {
        var pod = Self.pod("test1", containers: 2, phase: "podPhase",
                           statuses: [Self.status(.running, ready: true, restarts: 3), Self.status(restarts: 3)],
                           conditions: [Self.condition("condition1", "False"), Self.condition("condition2", "True")])
        pod.spec.nodeName = "test1"
        pod.spec.readinessGates = ["condition1", "condition2", "condition3"].map { CoreV1.PodReadinessGate(conditionType: $0) }
        pod.status.podIPs = [CoreV1.PodIP(ip: "1.1.1.1"), CoreV1.PodIP(ip: "2001:db8::")]
        pod.status.nominatedNodeName = "node1"
        #expect(F.row(PodTableConvertor(), pod, wide: true)
            == ["test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"])

        let bare = Self.pod("test2", containers: 2, phase: "podPhase",
                            statuses: [Self.status(.running, ready: true, restarts: 3),
                                       Self.status(.waiting("ContainerWaitingReason"), restarts: 3)])
        #expect(F.row(PodTableConvertor(), bare, wide: true)
            == ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>", "<none>", "<none>", "<none>", "<none>"])

        // The legacy single `podIP` counts when `podIPs` is unset.
        var legacy = bare
        legacy.status.podIP = "10.0.0.7"
        #expect(F.row(PodTableConvertor(), legacy, wide: true)[5] == "10.0.0.7")
    }

    @Test func restartsCellIsTextAndAgeCounts() {
        var pod = Self.pod("aged", statuses: [Self.status(.running, ready: true, restarts: 1, lastFinishedAgo: 3 * F.hour + 120)])
        pod.metadata.creationTimestamp = F.ago(2 * F.day + 4 * F.hour)
        let values = F.values(PodTableConvertor(), pod)
        #expect(values == [.string("aged"), .string("1/1"), .string(""), .string("1 (3h2m ago)"), .string("2d4h")])
    }
}
