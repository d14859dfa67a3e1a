import Foundation
import KubeModel

/// `kubectl get pods`: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES.
public struct PodTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        Printers.column("Status", "The aggregate status of the containers in this pod."),
        Printers.column("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        Printers.age,
        Printers.column("IP", "The IP address allocated to the pod.", priority: 1),
        Printers.column("Node", "The node the pod is scheduled onto.", priority: 1),
        Printers.column("Nominated Node", "The node the scheduler nominated for this pod while preempting others.", priority: 1),
        Printers.column("Readiness Gates", "Readiness gates of the pod that are true, out of all.", priority: 1),
    ]

    /// What upstream's API server sets as the pod's reason once its node is unreachable.
    static let nodeLostReason = "NodeLost"

    public func row(_ pod: CoreV1.Pod, now: Date) -> [JSONValue] {
        let summary = Self.summary(of: pod, now: now)
        var podIP = pod.status.podIPs?.first?.ip ?? ""
        // v1 → internal conversion fills `podIPs` from the legacy `podIP`.
        if podIP.isEmpty { podIP = pod.status.podIP ?? "" }
        return [
            .string(pod.metadata.name ?? ""), .string(summary.ready), .string(summary.status),
            .string(summary.restarts), Printers.age(pod, now: now),
            .string(podIP.isEmpty ? Printers.none : podIP),
            .string(nonEmpty(pod.spec.nodeName)),
            .string(nonEmpty(pod.status.nominatedNodeName)),
            .string(Self.readinessGates(of: pod)),
        ]
    }

    private func nonEmpty(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return Printers.none }
        return text
    }

    /// The READY (`1/2`), STATUS and RESTARTS (`3 (5m ago)`) cells, by upstream's rules.
    static func summary(of pod: CoreV1.Pod, now: Date) -> (ready: String, status: String, restarts: String) {
        let spec = pod.spec
        let status = pod.status
        let phase = status.phase ?? ""
        var reason = phase
        if let podReason = status.reason, !podReason.isEmpty { reason = podReason }
        for condition in status.conditions ?? [] where condition.type == "PodScheduled" && condition.reason == "SchedulingGated" {
            reason = "SchedulingGated"
        }

        var total = spec.containers.count
        var ready = 0
        var restarts = 0
        var sidecarRestarts = 0
        var lastRestart: Date?
        var lastSidecarRestart: Date?

        let initContainers = spec.initContainers ?? []
        var initByName: [String: CoreV1.Container] = [:]
        for container in initContainers {
            initByName[container.name] = container
            if isRestartable(container) { total += 1 }
        }

        var initializing = false
        for (index, container) in (status.initContainerStatuses ?? []).enumerated() {
            restarts += Int(container.restartCount)
            let finished = container.lastState?.terminated?.finishedAt?.date
            lastRestart = later(lastRestart, finished)
            let sidecar = isRestartable(initByName[container.name])
            if sidecar {
                sidecarRestarts += Int(container.restartCount)
                lastSidecarRestart = later(lastSidecarRestart, finished)
            }
            let state = container.state
            if let terminated = state?.terminated, terminated.exitCode == 0 { continue }
            if sidecar && container.started == true {
                if container.ready { ready += 1 }
                continue
            }
            if let terminated = state?.terminated {
                // Initialization failed.
                if let why = terminated.reason, !why.isEmpty {
                    reason = "Init:" + why
                } else if let signal = terminated.signal, signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(terminated.exitCode)"
                }
            } else if let waiting = state?.waiting?.reason, !waiting.isEmpty, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(index)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        if !initializing || isInitialized(status) {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in (status.containerStatuses ?? []).reversed() {
                restarts += Int(container.restartCount)
                lastRestart = later(lastRestart, container.lastState?.terminated?.finishedAt?.date)
                let state = container.state
                if let waiting = state?.waiting?.reason, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = state?.terminated {
                    if let why = terminated.reason, !why.isEmpty {
                        reason = why
                    } else if let signal = terminated.signal, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated.exitCode)"
                    }
                } else if container.ready && state?.running != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            // A pod whose last container completed while another still runs is not "Completed".
            if reason == "Completed" && hasRunning {
                reason = hasCondition(status, type: "Ready") ? "Running" : "NotReady"
            }
        }

        if pod.metadata.deletionTimestamp != nil && status.reason == nodeLostReason {
            reason = "Unknown"
        } else if pod.metadata.deletionTimestamp != nil && phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating"
        }

        var restartsText = String(restarts)
        if restarts != 0, let lastRestart {
            restartsText = "\(restarts) (\(HumanDuration.age(since: lastRestart, now: now)) ago)"
        }
        return ("\(ready)/\(total)", reason, restartsText)
    }

    /// READINESS GATES: how many of the pod's gates have a true condition, `<none>` without gates.
    static func readinessGates(of pod: CoreV1.Pod) -> String {
        guard let gates = pod.spec.readinessGates, !gates.isEmpty else { return Printers.none }
        let conditions = pod.status.conditions ?? []
        let satisfied = gates.filter { gate in
            conditions.first { $0.type == gate.conditionType }?.status == "True"
        }.count
        return "\(satisfied)/\(gates.count)"
    }

    /// A sidecar: an init container with `restartPolicy: Always`.
    static func isRestartable(_ container: CoreV1.Container?) -> Bool {
        container?.restartPolicy == "Always"
    }

    private static func isInitialized(_ status: CoreV1.PodStatus) -> Bool {
        guard let condition = status.conditions?.first(where: { $0.type == "Initialized" }) else { return false }
        return condition.status == "True"
    }

    private static func hasCondition(_ status: CoreV1.PodStatus, type: String) -> Bool {
        (status.conditions ?? []).contains { $0.type == type && $0.status == "True" }
    }

    private static func later(_ a: Date?, _ b: Date?) -> Date? {
        guard let b else { return a }
        guard let a else { return b }
        return b > a ? b : a
    }
}
