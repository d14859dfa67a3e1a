import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct PodGCControllerTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func pod(_ name: String, phase: String, node: String? = "node", created: Int64 = 0,
                    reason: String? = nil, terminating: Bool = false) -> CoreV1.Pod {
        var pod = NodeFixtures.pod(name, on: node)
        pod.status.phase = phase
        pod.status.reason = reason
        pod.metadata.creationTimestamp = MetaV1.Time(secondsSinceEpoch: 1_600_000_000 + created)
        if terminating { pod.metadata.deletionTimestamp = MetaV1.Time(start) }
        return pod
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var threshold: Int
        var pods: [CoreV1.Pod]
        var deleted: [String]
        var testDescription: String { label }
    }

    // upstream gc_controller_test.go TestGCTerminated's cases.
    static let cases: [Case] = [
        Case(label: "delete pod a which is PodFailed and pod b which is PodSucceeded", threshold: 1, pods: [
            pod("a", phase: "Failed", created: 0), pod("b", phase: "Succeeded", created: 1), pod("c", phase: "Failed", created: 2),
        ], deleted: ["a", "b"]),
        Case(label: "threshold = 0, disables terminated pod deletion", threshold: 0, pods: [
            pod("a", phase: "Failed"), pod("b", phase: "Succeeded"),
        ], deleted: []),
        Case(label: "running pods do not count", threshold: 1, pods: [
            pod("a", phase: "Running"), pod("b", phase: "Failed", created: 1),
        ], deleted: []),
        Case(label: "evicted pods go first", threshold: 2, pods: [
            pod("a", phase: "Failed", created: 0), pod("b", phase: "Failed", created: 1),
            pod("c", phase: "Failed", created: 2, reason: "Evicted"),
        ], deleted: ["c"]),
    ]

    @Test(arguments: cases)
    func deletesTerminatedPodsAboveTheThreshold(_ testCase: Case) async throws {
        let harness = ControllerTestHarness(objects: testCase.pods)
        let controller = PodGCController(context: harness.context, terminatedPodThreshold: testCase.threshold)
        harness.cache(NodeFixtures.node("node", created: Self.start))
        for pod in testCase.pods { harness.cache(pod) }
        try await controller.reconcile(PodGCController.passKey)
        let deletes = harness.client.writes.filter { $0.verb == "delete" }
        #expect(deletes.map(\.name).sorted() == testCase.deleted)
        #expect(deletes.allSatisfy { $0.deleteOptions?.gracePeriodSeconds == 0 })
        #expect(!harness.client.writes.contains { $0.verb == "update" })
    }

    @Test func orphanedPodsAreFailedAndDeletedAfterTheQuarantine() async throws {
        let clock = NodeTestClock(Self.start)
        let orphan = Self.pod("orphan", phase: "Running", node: "gone")
        let harness = ControllerTestHarness(objects: [orphan])
        let controller = PodGCController(context: harness.context, now: clock.reader)
        harness.cache(orphan)
        try await controller.reconcile(PodGCController.passKey)
        #expect(harness.client.writes.isEmpty)
        clock.advance(40)
        try await controller.reconcile(PodGCController.passKey)
        #expect(harness.client.writes.map(\.description) == ["update Pod/status default/orphan", "delete Pod default/orphan"])
        let body = try #require(harness.client.writes.first?.body)
        let failed = try JSONValueDecoder().decode(CoreV1.Pod.self, from: body)
        #expect(failed.status.phase == "Failed")
        let condition = try #require(failed.status.conditions?.first { $0.type == "DisruptionTarget" })
        #expect(condition.reason == "DeletionByPodGC")
        #expect(condition.message == "PodGC: node no longer exists")
        #expect(harness.client.writes.last?.deleteOptions?.gracePeriodSeconds == 0)
    }

    @Test func aNodeTheServerStillHasIsNotTreatedAsGone() async throws {
        let clock = NodeTestClock(Self.start)
        let pod = Self.pod("p", phase: "Running", node: "late")
        let harness = ControllerTestHarness(objects: [pod, NodeFixtures.node("late", created: Self.start)])
        let controller = PodGCController(context: harness.context, now: clock.reader)
        harness.cache(pod)
        try await controller.reconcile(PodGCController.passKey)
        clock.advance(41)
        try await controller.reconcile(PodGCController.passKey)
        #expect(harness.client.writes.isEmpty)
    }

    @Test func unscheduledTerminatingPodsAreDeleted() async throws {
        let pending = Self.pod("pending", phase: "Pending", node: nil, terminating: true)
        let bound = Self.pod("bound", phase: "Running", terminating: true)
        let harness = ControllerTestHarness(objects: [pending, bound])
        let controller = PodGCController(context: harness.context)
        harness.cache(NodeFixtures.node("node", created: Self.start))
        harness.cache(pending, bound)
        try await controller.reconcile(PodGCController.passKey)
        #expect(harness.client.writes.map(\.description) == ["update Pod/status default/pending", "delete Pod default/pending"])
    }

    @Test func terminatingPodsOnOutOfServiceNodesAreForceDeleted() async throws {
        let pod = Self.pod("p", phase: "Running", terminating: true)
        var node = NodeFixtures.node("node", created: Self.start, ready: "False",
                                     taints: [CoreV1.Taint(effect: "NoExecute", key: "node.kubernetes.io/out-of-service")])
        node.metadata.resourceVersion = "2"
        let harness = ControllerTestHarness(objects: [pod])
        let controller = PodGCController(context: harness.context)
        harness.cache(node)
        harness.cache(pod)
        try await controller.reconcile(PodGCController.passKey)
        #expect(harness.client.writes.map(\.description) == ["update Pod/status default/p", "delete Pod default/p"])
    }
}
