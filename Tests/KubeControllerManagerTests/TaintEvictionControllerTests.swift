import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct TaintEvictionControllerTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let unreachable = CoreV1.Taint(effect: "NoExecute", key: "node.kubernetes.io/unreachable")

    static func toleration(_ seconds: Int64?) -> CoreV1.Toleration {
        CoreV1.Toleration(effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: seconds)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var pod: CoreV1.Pod
        var taints: [CoreV1.Taint]?
        /// Whether the first pass deletes the pod.
        var deletedAtOnce: Bool
        /// Seconds after which a second pass deletes it (nil: never).
        var deletedAfter: TimeInterval?
        var testDescription: String { label }
    }

    // upstream taint_eviction_test.go TestCreatePod's cases.
    static let cases: [Case] = [
        Case(label: "not scheduled - ignore", pod: NodeFixtures.pod("p", on: nil), taints: [unreachable],
             deletedAtOnce: false, deletedAfter: nil),
        Case(label: "scheduled on untainted node", pod: NodeFixtures.pod("p", on: "n"), taints: nil,
             deletedAtOnce: false, deletedAfter: nil),
        Case(label: "schedule on tainted node", pod: NodeFixtures.pod("p", on: "n"), taints: [unreachable],
             deletedAtOnce: true, deletedAfter: nil),
        Case(label: "schedule on tainted node with finite toleration",
             pod: NodeFixtures.pod("p", on: "n", tolerations: [toleration(100)]), taints: [unreachable],
             deletedAtOnce: false, deletedAfter: 100),
        Case(label: "schedule on tainted node with infinite toleration",
             pod: NodeFixtures.pod("p", on: "n", tolerations: [toleration(nil)]), taints: [unreachable],
             deletedAtOnce: false, deletedAfter: nil),
        Case(label: "schedule on tainted node with toleration of another taint",
             pod: NodeFixtures.pod("p", on: "n", tolerations: [
                CoreV1.Toleration(effect: "NoExecute", key: "other", operator: "Exists", tolerationSeconds: 100)]),
             taints: [unreachable], deletedAtOnce: true, deletedAfter: nil),
        Case(label: "NoSchedule taints do not evict", pod: NodeFixtures.pod("p", on: "n"),
             taints: [CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/unreachable")],
             deletedAtOnce: false, deletedAfter: nil),
    ]

    @Test(arguments: cases)
    func evictsPodsThatDoNotTolerateNoExecuteTaints(_ testCase: Case) async throws {
        let clock = NodeTestClock(Self.start)
        let node = NodeFixtures.node("n", created: Self.start, taints: testCase.taints)
        let harness = ControllerTestHarness(objects: [testCase.pod])
        let controller = TaintEvictionController(context: harness.context, now: clock.reader)
        harness.cache(node)
        harness.cache(testCase.pod)
        let deletes = { harness.client.writes.filter { $0.verb == "delete" }.map(\.description) }
        var requeued: RequeueAfter?
        do { try await controller.reconcile("default/p") } catch let error as RequeueAfter { requeued = error }
        #expect(deletes() == (testCase.deletedAtOnce ? ["delete Pod default/p"] : []))
        guard !testCase.deletedAtOnce else {
            #expect(harness.events.events.map(\.description) == ["Normal TaintManagerEviction Marking for deletion Pod default/p"])
            let status = try #require(harness.client.writes.first { $0.subresource == "status" }?.body)
            let pod = try JSONValueDecoder().decode(CoreV1.Pod.self, from: status)
            let condition = try #require(pod.status.conditions?.first { $0.type == "DisruptionTarget" })
            #expect(condition.reason == "DeletionByTaintManager")
            #expect(condition.message == "Taint manager: deleting due to NoExecute taint")
            return
        }
        guard let after = testCase.deletedAfter else {
            #expect(requeued == nil)
            return
        }
        #expect(requeued?.delay == .milliseconds(Int64(after * 1000) + 1))
        clock.advance(after - 1)
        do { try await controller.reconcile("default/p") } catch is RequeueAfter {}
        #expect(deletes().isEmpty)
        clock.advance(1)
        try await controller.reconcile("default/p")
        #expect(deletes() == ["delete Pod default/p"])
    }

    @Test func aTaintRemovedInTimeCancelsTheEviction() async throws {
        let clock = NodeTestClock(Self.start)
        let pod = NodeFixtures.pod("p", on: "n", tolerations: [Self.toleration(5)])
        let harness = ControllerTestHarness(objects: [pod])
        let controller = TaintEvictionController(context: harness.context, now: clock.reader)
        harness.cache(NodeFixtures.node("n", created: Self.start, taints: [Self.unreachable]))
        harness.cache(pod)
        await #expect(throws: RequeueAfter.self) { try await controller.reconcile("default/p") }
        clock.advance(3)
        harness.cache(NodeFixtures.node("n", created: Self.start, taints: nil))
        try await controller.reconcile("default/p")
        clock.advance(10)
        harness.cache(NodeFixtures.node("n", created: Self.start, taints: [Self.unreachable]))
        // A new taint starts a new countdown.
        await #expect(throws: RequeueAfter.self) { try await controller.reconcile("default/p") }
        #expect(harness.client.writes.isEmpty)
        #expect(harness.events.events.map(\.description) == ["Normal TaintManagerEviction Cancelling deletion of Pod default/p"])
    }

    struct MinimumCase: Sendable, CustomTestStringConvertible {
        var seconds: [Int64?]
        var expected: Int64?
        var testDescription: String { "\(seconds) → \(String(describing: expected))" }
    }

    // upstream TestGetMinTolerationTime.
    @Test(arguments: [
        MinimumCase(seconds: [], expected: 0),
        MinimumCase(seconds: [nil], expected: nil),
        MinimumCase(seconds: [nil, 20, 10], expected: 10),
        MinimumCase(seconds: [-5, 100], expected: 0),
    ])
    func minimumTolerationTime(_ testCase: MinimumCase) {
        let tolerations = testCase.seconds.map { CoreV1.Toleration(tolerationSeconds: $0) }
        #expect(TaintToleration.minimumTolerationSeconds(tolerations) == testCase.expected)
    }
}
