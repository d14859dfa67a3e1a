import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Synchronization
import Testing

/// A clock a test moves by hand.
final class NodeTestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var reader: @Sendable () -> Date { { self.now } }
}

/// Nodes and pods as the node lifecycle tests need them.
enum NodeFixtures {
    static func node(_ name: String, created: Date, ready: String? = "True", heartbeat: Date? = nil,
                     taints: [CoreV1.Taint]? = nil, zone: String? = nil, region: String? = nil) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        node.metadata.uid = "uid-\(name)"
        node.metadata.resourceVersion = "1"
        node.metadata.creationTimestamp = MetaV1.Time(created)
        if let zone { node.metadata.labels = ["topology.kubernetes.io/zone": zone] }
        if let region { node.metadata.labels?["topology.kubernetes.io/region"] = region }
        node.spec.taints = taints
        if let ready {
            let beat = MetaV1.Time(heartbeat ?? created)
            node.status.conditions = [
                CoreV1.NodeCondition(lastHeartbeatTime: beat, lastTransitionTime: MetaV1.Time(created), reason: "KubeletReady",
                                     status: ready, type: "Ready"),
                CoreV1.NodeCondition(lastHeartbeatTime: beat, lastTransitionTime: MetaV1.Time(created),
                                     reason: "KubeletHasSufficientMemory", status: "False", type: "MemoryPressure"),
            ]
        }
        return node
    }

    static func pod(_ name: String, on node: String?, ready: Bool = true, tolerations: [CoreV1.Toleration]? = nil,
                    namespace: String = "default") -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = namespace
        pod.metadata.uid = "uid-\(name)"
        pod.metadata.resourceVersion = "1"
        pod.spec.nodeName = node
        pod.spec.tolerations = tolerations
        pod.status.phase = "Running"
        pod.status.conditions = [CoreV1.PodCondition(status: ready ? "True" : "False", type: "Ready")]
        return pod
    }

    static func lease(_ name: String, renewed: Date) -> CoordinationV1.Lease {
        var lease = CoordinationV1.Lease()
        lease.metadata.name = name
        lease.metadata.namespace = "kube-node-lease"
        lease.spec.holderIdentity = name
        lease.spec.renewTime = MetaV1.MicroTime(renewed)
        return lease
    }
}

@Suite struct NodeLifecycleControllerTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let longAgo = start.addingTimeInterval(-3600)

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var node: CoreV1.Node
        /// Seconds the clock moves between the first and the second look.
        var elapsed: TimeInterval
        /// Ready status and reason after the second look (nil: no status update).
        var expectedReady: (status: String, reason: String)?
        var testDescription: String { label }
    }

    // upstream node_lifecycle_controller_test.go TestMonitorNodeHealthUpdateStatus's cases.
    static let cases: [Case] = [
        Case(label: "node created recently, with no status", node: NodeFixtures.node("n", created: start, ready: nil),
             elapsed: 0, expectedReady: nil),
        Case(label: "node created long ago, never posted status, past the startup grace period",
             node: NodeFixtures.node("n", created: longAgo, ready: nil), elapsed: 0,
             expectedReady: ("Unknown", "NodeStatusNeverUpdated")),
        Case(label: "node created long ago, kubelet posted NotReady recently", node:
                NodeFixtures.node("n", created: longAgo, ready: "False", heartbeat: start), elapsed: 10, expectedReady: nil),
        Case(label: "status not updated for longer than the grace period",
             node: NodeFixtures.node("n", created: longAgo, ready: "True", heartbeat: start), elapsed: 51,
             expectedReady: ("Unknown", "NodeStatusUnknown")),
        Case(label: "status not updated, but still within the grace period",
             node: NodeFixtures.node("n", created: longAgo, ready: "True", heartbeat: start), elapsed: 49, expectedReady: nil),
    ]

    @Test(arguments: cases)
    func monitorNodeHealth(_ testCase: Case) async throws {
        let clock = NodeTestClock(Self.start)
        let harness = ControllerTestHarness(objects: [testCase.node])
        let controller = NodeLifecycleController(context: harness.context, now: clock.reader)
        harness.cache(testCase.node)
        _ = try await controller.updateHealth(testCase.node)
        clock.advance(testCase.elapsed)
        _ = try await controller.updateHealth(testCase.node)
        let updates = harness.client.writes.filter { $0.verb == "update" && $0.subresource == "status" }
        guard let expected = testCase.expectedReady else {
            #expect(updates.isEmpty)
            return
        }
        #expect(updates.count == 1)
        let node = try #require(harness.client.object(CoreV1.Node.self, name: "n"))
        let conditions = node.status.conditions ?? []
        let ready = try #require(conditions.first { $0.type == "Ready" })
        #expect(ready.status == expected.status)
        #expect(ready.reason == expected.reason)
        #expect(ready.lastTransitionTime == MetaV1.Time(clock.now))
        let message = expected.reason == "NodeStatusUnknown" ? "Kubelet stopped posting node status." : "Kubelet never posted node status."
        #expect(ready.message == message)
        for type in ["MemoryPressure", "DiskPressure", "PIDPressure"] {
            #expect(conditions.first { $0.type == type }?.status == "Unknown", "\(type)")
        }
    }

    @Test func aRenewedLeaseKeepsTheNodeHealthy() async throws {
        let clock = NodeTestClock(Self.start)
        let node = NodeFixtures.node("n", created: Self.longAgo, heartbeat: Self.start)
        let harness = ControllerTestHarness(objects: [node])
        let controller = NodeLifecycleController(context: harness.context, now: clock.reader)
        harness.cache(node)
        let leases = harness.informers.informer(CoordinationV1.Lease.self, namespace: "kube-node-lease").indexer
        leases.upsert(NodeFixtures.lease("n", renewed: Self.start))
        _ = try await controller.updateHealth(node)
        clock.advance(40)
        leases.upsert(NodeFixtures.lease("n", renewed: clock.now))
        _ = try await controller.updateHealth(node)
        clock.advance(40)
        _ = try await controller.updateHealth(node)
        #expect(harness.client.writes.isEmpty)
        clock.advance(11)
        _ = try await controller.updateHealth(node)
        #expect(harness.client.writes.map(\.description) == ["update Node/status n"])
    }

    @Test func anUnreachableNodeIsTaintedAndItsPodsMarkedNotReady() async throws {
        let clock = NodeTestClock(Self.start)
        let quiet = NodeFixtures.node("quiet", created: Self.longAgo, heartbeat: Self.start)
        var healthy = NodeFixtures.node("healthy", created: Self.longAgo, heartbeat: Self.start)
        let pod = NodeFixtures.pod("web", on: "quiet")
        let other = NodeFixtures.pod("api", on: "healthy")
        let harness = ControllerTestHarness(objects: [quiet, healthy, pod, other])
        let controller = NodeLifecycleController(context: harness.context, now: clock.reader)
        harness.cache(quiet, healthy)
        harness.cache(pod, other)
        try await controller.monitorNodeHealth()
        #expect(harness.client.writes.isEmpty)
        #expect(harness.events.events.map(\.description).sorted() == [
            "Normal RegisteredNode Registered Node healthy in Controller", "Normal RegisteredNode Registered Node quiet in Controller",
        ])
        let registered = harness.events.events.count

        clock.advance(51)
        healthy = NodeFixtures.node("healthy", created: Self.longAgo, heartbeat: clock.now)
        NodeFixtures.store(healthy, in: harness)
        try await controller.monitorNodeHealth()
        let updated = try #require(harness.client.object(CoreV1.Node.self, name: "quiet"))
        #expect(updated.status.conditions?.first { $0.type == "Ready" }?.status == "Unknown")
        let markedPod = try #require(harness.client.object(CoreV1.Pod.self, namespace: "default", name: "web"))
        #expect(markedPod.status.conditions?.first { $0.type == "Ready" }?.status == "False")
        #expect(harness.client.object(CoreV1.Pod.self, namespace: "default", name: "api")?.status.conditions?.first?.status == "True")
        #expect(harness.events.events.dropFirst(registered).map(\.description) == [
            "Normal NodeNotReady Node quiet status is now: NodeNotReady", "Warning NodeNotReady Node is not ready",
        ])
        // The NoSchedule taint follows the condition once the node's update is seen.
        NodeFixtures.syncCache(harness)
        try await controller.doNoScheduleTaintingPass("quiet")
        #expect(NodeFixtures.taints("quiet", harness) == ["node.kubernetes.io/unreachable:NoSchedule"])
        // The NoExecute taint comes through the zone's queue, from the next pass on (upstream
        // decides on the Ready status it observed before the pass).
        let nothingQueued = await controller.doNoExecuteTaintingPass()
        #expect(nothingQueued == nil)
        clock.advance(5)
        NodeFixtures.syncCache(harness)
        try await controller.monitorNodeHealth()
        let next = await controller.doNoExecuteTaintingPass()
        #expect(next == nil)
        #expect(NodeFixtures.taints("quiet", harness) == [
            "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule",
        ])
        let tainted = try #require(harness.client.object(CoreV1.Node.self, name: "quiet"))
        #expect(tainted.spec.taints?.first { $0.effect == "NoExecute" }?.timeAdded == MetaV1.Time(clock.now))
        // Pods are marked once, when the node stops being Ready.
        #expect(harness.events.events.count == registered + 2)
    }

    @Test func aSingleNodeClusterIsInMasterDisruptionAndGetsNoNoExecuteTaint() async throws {
        let clock = NodeTestClock(Self.start)
        let only = NodeFixtures.node("only", created: Self.longAgo, heartbeat: Self.start)
        let harness = ControllerTestHarness(objects: [only])
        let controller = NodeLifecycleController(context: harness.context, now: clock.reader)
        harness.cache(only)
        try await controller.monitorNodeHealth()
        for _ in 0..<3 {
            clock.advance(51)
            NodeFixtures.syncCache(harness)
            try await controller.monitorNodeHealth()
            let delay = await controller.doNoExecuteTaintingPass()
            #expect(delay == nil)
        }
        try await controller.doNoScheduleTaintingPass("only")
        #expect(NodeFixtures.taints("only", harness) == ["node.kubernetes.io/unreachable:NoSchedule"])
        #expect(controller.zones.withLock { $0.states } == ["": .fullDisruption])
    }

    struct TaintCase: Sendable, CustomTestStringConvertible {
        var label: String
        var ready: String
        var taints: [CoreV1.Taint]?
        var expected: [String]
        var testDescription: String { label }
    }

    static let taintCases: [TaintCase] = [
        TaintCase(label: "NotReady node gets not-ready taints", ready: "False", taints: nil,
                  expected: ["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"]),
        TaintCase(label: "unreachable taints are swapped for not-ready ones", ready: "False", taints: [
            CoreV1.Taint(effect: "NoExecute", key: "node.kubernetes.io/unreachable"),
            CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/unreachable"),
        ], expected: ["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"]),
        TaintCase(label: "not-ready taints are swapped for unreachable ones", ready: "Unknown", taints: [
            CoreV1.Taint(effect: "NoExecute", key: "node.kubernetes.io/not-ready"),
            CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/not-ready"),
        ], expected: ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]),
        TaintCase(label: "a Ready node loses the taints, keeps others", ready: "True", taints: [
            CoreV1.Taint(effect: "NoExecute", key: "node.kubernetes.io/unreachable"),
            CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/unreachable"),
            CoreV1.Taint(effect: "NoSchedule", key: "dedicated", value: "infra"),
        ], expected: ["dedicated:NoSchedule"]),
        TaintCase(label: "a Ready node without taints is left alone", ready: "True", taints: nil, expected: []),
    ]

    @Test(arguments: taintCases)
    func taintsFollowReadiness(_ testCase: TaintCase) async throws {
        let clock = NodeTestClock(Self.start)
        let node = NodeFixtures.node("n", created: Self.longAgo, ready: testCase.ready, heartbeat: Self.start, taints: testCase.taints)
        let healthy = NodeFixtures.node("healthy", created: Self.longAgo, heartbeat: Self.start)
        let harness = ControllerTestHarness(objects: [node, healthy])
        let controller = NodeLifecycleController(context: harness.context, now: clock.reader)
        harness.cache(node, healthy)
        try await controller.monitorNodeHealth()
        _ = await controller.doNoExecuteTaintingPass()
        NodeFixtures.syncCache(harness)
        try await controller.doNoScheduleTaintingPass("n")
        #expect(NodeFixtures.taints("n", harness) == testCase.expected)
        if testCase.taints == nil && testCase.expected.isEmpty { #expect(harness.client.writes.isEmpty) }
    }
}

extension NodeFixtures {
    /// Writes `node` to the client and the informer cache (a kubelet's status update).
    static func store(_ node: CoreV1.Node, in harness: ControllerTestHarness) {
        var node = node
        node.metadata.resourceVersion = harness.client.object(CoreV1.Node.self, name: node.metadata.name ?? "")?.metadata.resourceVersion
        harness.client.seed(node)
        harness.cache(node)
    }

    /// Copies the client's nodes into the informer cache (the watch catching up).
    static func syncCache(_ harness: ControllerTestHarness) {
        for node in harness.client.objects(CoreV1.Node.self) { harness.cache(node) }
    }

    /// `key:effect` of the node's taints in the client, sorted.
    static func taints(_ name: String, _ harness: ControllerTestHarness) -> [String] {
        (harness.client.object(CoreV1.Node.self, name: name)?.spec.taints ?? []).map { "\($0.key):\($0.effect)" }.sorted()
    }
}
