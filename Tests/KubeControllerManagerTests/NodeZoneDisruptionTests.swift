import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Logging
import Synchronization
import Testing

/// A log handler that keeps the messages, so tests can see the controller's log lines.
struct RecordingLogHandler: LogHandler {
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.message.description)
    }
}

/// Zone states and the rate-limited NoExecute tainting of the node lifecycle controller
/// (upstream's node_lifecycle_controller_test.go TestMonitorNodeHealth, and its
/// `ComputeZoneState`, `ReducedQPSFunc` and `handleDisruption`).
@Suite struct NodeZoneDisruptionTests {
    static let start = Date(timeIntervalSince1970: 1_420_113_600)
    static let longAgo = start.addingTimeInterval(-3600)

    static func zoneID(_ region: String, _ zone: String) -> String { region + ":\u{0}:" + zone }

    /// A node labelled with upstream's stable and beta region/zone labels.
    static func node(_ name: String, region: String? = "region1", zone: String? = "zone1", ready: String? = "True",
                     heartbeat: Date = NodeZoneDisruptionTests.start, created: Date = NodeZoneDisruptionTests.start,
                     excluded: Bool = false) -> CoreV1.Node {
        var node = NodeFixtures.node(name, created: created, ready: ready, heartbeat: heartbeat)
        node.status.conditions = node.status.conditions?.filter { $0.type == "Ready" }
        var labels: [String: String] = [:]
        if let region, let zone {
            labels = ["topology.kubernetes.io/region": region, "topology.kubernetes.io/zone": zone,
                      "failure-domain.beta.kubernetes.io/region": region, "failure-domain.beta.kubernetes.io/zone": zone]
        }
        if excluded { labels[ZoneTainters.disruptionExclusionLabel] = "" }
        node.metadata.labels = labels.isEmpty ? nil : labels
        return node
    }

    static func status(_ ready: String, heartbeat: Date) -> CoreV1.NodeStatus {
        var status = CoreV1.NodeStatus()
        status.conditions = [CoreV1.NodeCondition(lastHeartbeatTime: MetaV1.Time(heartbeat), lastTransitionTime: MetaV1.Time(start),
                                                  status: ready, type: "Ready")]
        return status
    }

    static var healthy: CoreV1.NodeStatus { status("True", heartbeat: start.addingTimeInterval(3600)) }
    static var unhealthy: CoreV1.NodeStatus { status("Unknown", heartbeat: start) }
    static var noConditions: CoreV1.NodeStatus {
        var status = CoreV1.NodeStatus()
        status.conditions = []
        return status
    }

    static func controller(_ harness: ControllerTestHarness, clock: NodeTestClock,
                           logger: Logger = Logger(label: "test")) -> NodeLifecycleController {
        let context = ControllerContext(informers: harness.informers, client: harness.client, events: harness.events, logger: logger)
        return NodeLifecycleController(context: context, now: clock.reader)
    }

    // MARK: ComputeZoneState

    static let zoneStateCases: [([String?], ZoneState)] = [
        (["True"], .normal),
        (["Unknown"], .fullDisruption),
        ([nil], .fullDisruption),
        (["False", "Unknown", nil], .fullDisruption),
        (["False", "True"], .normal),
        (["Unknown", "Unknown", "True", "True", "True"], .normal),
        (["Unknown", "Unknown", "Unknown", "True", "True"], .partialDisruption),
        (["Unknown", "Unknown", "Unknown", "True", "True", "True"], .normal),
        (["Unknown", "Unknown", "Unknown", "True"], .partialDisruption),
        (["Unknown", nil, "False", "True"], .partialDisruption),
    ]

    @Test(arguments: zoneStateCases)
    func computeZoneState(_ statuses: [String?], _ expected: ZoneState) {
        let conditions = statuses.map { status in status.map { CoreV1.NodeCondition(status: $0, type: "Ready") } }
        let (notReady, state) = ZoneTainters.computeZoneState(conditions, unhealthyThreshold: 0.55)
        #expect(state == expected)
        #expect(notReady == statuses.filter { $0 != "True" }.count)
    }

    static let zoneKeyCases: [([String: String], String)] = [
        ([:], ""),
        (["topology.kubernetes.io/zone": "z1"], ":\u{0}:z1"),
        (["topology.kubernetes.io/region": "r1", "topology.kubernetes.io/zone": "z1"], "r1:\u{0}:z1"),
        (["topology.kubernetes.io/zone": "stable", "failure-domain.beta.kubernetes.io/zone": "beta"], ":\u{0}:beta"),
        (["failure-domain.beta.kubernetes.io/region": "r2"], "r2:\u{0}:"),
    ]

    @Test(arguments: zoneKeyCases)
    func zoneKey(_ labels: [String: String], _ expected: String) {
        var node = CoreV1.Node()
        node.metadata.labels = labels
        #expect(ZoneTainters.zoneKey(node) == expected)
    }

    // MARK: Zone states through the monitor pass

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var nodes: [CoreV1.Node]
        var updatedStatuses: [CoreV1.NodeStatus]
        var initialStates: [String: ZoneState]
        var followingStates: [String: ZoneState]
        var testDescription: String { label }
    }

    // upstream TestMonitorNodeHealth.
    static let cases: [Case] = [
        Case(label: "No Disruption: Node created recently without failure domain labels (happens only at cluster startup)",
             nodes: [node("node0", region: nil, zone: nil)], updatedStatuses: [healthy],
             initialStates: ["": .normal], followingStates: ["": .normal]),
        Case(label: "No Disruption: Initially both zones down, one comes back",
             nodes: [node("node0", ready: "Unknown"), node("node1", zone: "zone2", ready: "Unknown")],
             updatedStatuses: [unhealthy, healthy],
             initialStates: [zoneID("region1", "zone1"): .fullDisruption, zoneID("region1", "zone2"): .fullDisruption],
             followingStates: [zoneID("region1", "zone1"): .fullDisruption, zoneID("region1", "zone2"): .normal]),
        Case(label: "Partial Disruption: Nodes created recently without status conditions (happens only at cluster startup)",
             nodes: (0..<4).map { node("node\($0)", ready: nil) }, updatedStatuses: [unhealthy, unhealthy, unhealthy, healthy],
             initialStates: [zoneID("region1", "zone1"): .fullDisruption],
             followingStates: [zoneID("region1", "zone1"): .partialDisruption]),
        Case(label: "Partial Disruption: one Node failed leading to the number of healthy Nodes to exceed the configured threshold",
             nodes: [node("node0", ready: "Unknown"), node("node1", ready: "Unknown"), node("node2"), node("node3"), node("node4")],
             updatedStatuses: [unhealthy, unhealthy, unhealthy, healthy, healthy],
             initialStates: [zoneID("region1", "zone1"): .normal],
             followingStates: [zoneID("region1", "zone1"): .partialDisruption]),
        Case(label: "Full Disruption: the zone has less than 2 Nodes down, the last healthy Node has failed",
             nodes: [node("node0", ready: "Unknown"), node("node1", ready: "Unknown"), node("node2")],
             updatedStatuses: [unhealthy, unhealthy, unhealthy],
             initialStates: [zoneID("region1", "zone1"): .normal],
             followingStates: [zoneID("region1", "zone1"): .fullDisruption]),
        Case(label: "Full Disruption: all the Nodes in one zone are down",
             nodes: [node("node0", ready: "Unknown"), node("node1", zone: "zone2")], updatedStatuses: [unhealthy, healthy],
             initialStates: [zoneID("region1", "zone1"): .fullDisruption, zoneID("region1", "zone2"): .normal],
             followingStates: [zoneID("region1", "zone1"): .fullDisruption, zoneID("region1", "zone2"): .normal]),
        Case(label: "Full Disruption: all the Nodes in both the zones are down",
             nodes: [node("node0", ready: "Unknown"), node("node1", region: "region2", zone: "zone2", ready: "Unknown")],
             updatedStatuses: [unhealthy, unhealthy],
             initialStates: [zoneID("region1", "zone1"): .fullDisruption, zoneID("region2", "zone2"): .fullDisruption],
             followingStates: [zoneID("region1", "zone1"): .fullDisruption, zoneID("region2", "zone2"): .fullDisruption]),
        Case(label: "Full Disruption: Ready condition removed from the Node",
             nodes: [node("node0")], updatedStatuses: [noConditions],
             initialStates: [zoneID("region1", "zone1"): .normal],
             followingStates: [zoneID("region1", "zone1"): .fullDisruption]),
        Case(label: "Full Disruption: the only available Node has the node.kubernetes.io/exclude-disruption label",
             nodes: [node("node0", ready: "Unknown"), node("node-master", excluded: true)], updatedStatuses: [unhealthy, healthy],
             initialStates: [zoneID("region1", "zone1"): .fullDisruption],
             followingStates: [zoneID("region1", "zone1"): .fullDisruption]),
    ]

    @Test(arguments: cases)
    func monitorNodeHealthZoneStates(_ testCase: Case) async throws {
        let clock = NodeTestClock(Self.start)
        let harness = ControllerTestHarness(objects: testCase.nodes)
        for node in testCase.nodes { harness.cache(node) }
        let controller = Self.controller(harness, clock: clock)
        try await controller.monitorNodeHealth()
        #expect(controller.zones.withLock { $0.states } == testCase.initialStates)

        clock.advance(3600)
        for (node, status) in zip(testCase.nodes, testCase.updatedStatuses) {
            var updated = node
            updated.status = status
            NodeFixtures.store(updated, in: harness)
        }
        try await controller.monitorNodeHealth()
        #expect(controller.zones.withLock { $0.states } == testCase.followingStates)
    }

    // MARK: Rate-limited NoExecute tainting

    /// A zone-less cluster: `ready` Ready nodes and `notReady` nodes whose kubelet posts NotReady.
    static func cluster(ready: Int, notReady: Int, zone: String? = nil) -> [CoreV1.Node] {
        (0..<notReady).map { node("down-\($0)", region: nil, zone: zone, ready: "False", created: longAgo) }
            + (0..<ready).map { node("up-\($0)", region: nil, zone: zone, created: longAgo) }
    }

    static func noExecuteTainted(_ harness: ControllerTestHarness) -> [String] {
        harness.client.objects(CoreV1.Node.self).filter { node in
            node.spec.taints?.contains { $0.effect == "NoExecute" && $0.key == NodeTaints.notReady } ?? false
        }.compactMap(\.metadata.name).sorted()
    }

    struct RateCase: Sendable, CustomTestStringConvertible {
        var label: String
        var ready: Int
        var notReady: Int
        var state: ZoneState
        /// Seconds between taints (nil: none at all).
        var interval: TimeInterval?
        var testDescription: String { label }
    }

    static let rateCases: [RateCase] = [
        RateCase(label: "Normal zone: --node-eviction-rate 0.1, one node each 10 s", ready: 8, notReady: 2,
                 state: .normal, interval: 10),
        RateCase(label: "PartialDisruption in a zone of at most --large-cluster-size-threshold nodes: no tainting",
                 ready: 4, notReady: 6, state: .partialDisruption, interval: nil),
        RateCase(label: "PartialDisruption in a zone of more than 50 nodes: --secondary-node-eviction-rate 0.01", ready: 24,
                 notReady: 36, state: .partialDisruption, interval: 100),
    ]

    @Test(arguments: rateCases)
    func noExecuteTaintsAreRateLimitedByZoneState(_ testCase: RateCase) async throws {
        let clock = NodeTestClock(Self.start)
        let nodes = Self.cluster(ready: testCase.ready, notReady: testCase.notReady)
        let harness = ControllerTestHarness(objects: nodes)
        for node in nodes { harness.cache(node) }
        let controller = Self.controller(harness, clock: clock)
        try await controller.monitorNodeHealth()
        #expect(controller.zones.withLock { $0.states } == ["": testCase.state])
        let delay = await controller.doNoExecuteTaintingPass()
        guard let interval = testCase.interval else {
            #expect(delay == nil)
            #expect(Self.noExecuteTainted(harness).isEmpty)
            return
        }
        #expect(Self.noExecuteTainted(harness).count == 1)
        #expect(abs((delay ?? 0) - interval) < 1e-6)
        clock.advance(interval - 0.5)
        _ = await controller.doNoExecuteTaintingPass()
        #expect(Self.noExecuteTainted(harness).count == 1)
        clock.advance(0.5)
        _ = await controller.doNoExecuteTaintingPass()
        #expect(Self.noExecuteTainted(harness).count == 2)
    }

    @Test func aFullyDisruptedZoneAmongHealthyOnesIsTaintedAtTheNormalRate() async throws {
        let clock = NodeTestClock(Self.start)
        let nodes = [Self.node("a0", zone: "a", ready: "False", created: Self.longAgo),
                     Self.node("a1", zone: "a", ready: "False", created: Self.longAgo),
                     Self.node("b0", zone: "b", created: Self.longAgo)]
        let harness = ControllerTestHarness(objects: nodes)
        for node in nodes { harness.cache(node) }
        let controller = Self.controller(harness, clock: clock)
        try await controller.monitorNodeHealth()
        #expect(controller.zones.withLock { $0.states }
            == [Self.zoneID("region1", "a"): .fullDisruption, Self.zoneID("region1", "b"): .normal])
        let delay = await controller.doNoExecuteTaintingPass()
        #expect(Self.noExecuteTainted(harness).count == 1)
        #expect(abs((delay ?? 0) - 10) < 1e-6)
    }

    @Test func masterDisruptionStopsTaintingRemovesTaintsAndResumesWhenANodeIsReady() async throws {
        let clock = NodeTestClock(Self.start)
        let lines = RecordingLogHandler.Lines()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
        let a = Self.node("a", region: nil, zone: nil, ready: "False", created: Self.longAgo)
        let b = Self.node("b", region: nil, zone: nil, created: Self.longAgo)
        let harness = ControllerTestHarness(objects: [a, b])
        harness.cache(a, b)
        let controller = Self.controller(harness, clock: clock, logger: logger)
        try await controller.monitorNodeHealth()
        _ = await controller.doNoExecuteTaintingPass()
        #expect(Self.noExecuteTainted(harness) == ["a"])

        // b's kubelet reports NotReady too: every zone is fully disrupted.
        clock.advance(5)
        NodeFixtures.store(Self.node("b", region: nil, zone: nil, ready: "False", heartbeat: clock.now, created: Self.longAgo),
                           in: harness)
        NodeFixtures.syncCache(harness)
        try await controller.monitorNodeHealth()
        #expect(lines.all.contains("Controller detected that all Nodes are not-Ready. Entering master disruption mode"))
        #expect(controller.zones.withLock { $0.states } == ["": .fullDisruption])
        #expect(Self.noExecuteTainted(harness).isEmpty, "the NoExecute taints are removed")
        for _ in 0..<3 {
            clock.advance(5)
            NodeFixtures.syncCache(harness)
            try await controller.monitorNodeHealth()
            let delay = await controller.doNoExecuteTaintingPass()
            #expect(delay == nil)
            #expect(Self.noExecuteTainted(harness).isEmpty, "no node is tainted in master disruption mode")
        }

        // b is Ready again: the zone is normal; tainting resumes after one token's time.
        clock.advance(5)
        NodeFixtures.store(Self.node("b", region: nil, zone: nil, heartbeat: clock.now, created: Self.longAgo), in: harness)
        NodeFixtures.syncCache(harness)
        try await controller.monitorNodeHealth()
        #expect(lines.all.contains("Controller detected that some Nodes are Ready. Exiting master disruption mode"))
        #expect(controller.zones.withLock { $0.states } == ["": .normal])
        let delay = await controller.doNoExecuteTaintingPass()
        #expect(Self.noExecuteTainted(harness).isEmpty)
        #expect(abs((delay ?? 0) - 10) < 1e-6)
        clock.advance(10)
        _ = await controller.doNoExecuteTaintingPass()
        #expect(Self.noExecuteTainted(harness) == ["a"])
    }

    @Test func zoneStateChangesAreLogged() async throws {
        let clock = NodeTestClock(Self.start)
        let lines = RecordingLogHandler.Lines()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
        let nodes = Self.cluster(ready: 5, notReady: 0)
        let harness = ControllerTestHarness(objects: nodes)
        for node in nodes { harness.cache(node) }
        let controller = Self.controller(harness, clock: clock, logger: logger)
        try await controller.monitorNodeHealth()
        for name in ["up-0", "up-1", "up-2"] {
            NodeFixtures.store(Self.node(name, region: nil, zone: nil, ready: "False", heartbeat: clock.now, created: Self.longAgo),
                               in: harness)
        }
        clock.advance(5)
        try await controller.monitorNodeHealth()
        #expect(controller.zones.withLock { $0.states } == ["": .partialDisruption])
        #expect(lines.all.filter { $0 == "Controller detected that zone is now in new state" }.count == 2)
    }
}
