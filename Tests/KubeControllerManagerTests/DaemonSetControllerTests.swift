import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// Scenarios after upstream's daemon_controller_test.go and update_test.go: one pod per
/// eligible node, nodes coming and going, taints, failed and extra pods, rolling updates with
/// maxUnavailable and maxSurge, status and revisions.
@Suite struct DaemonSetControllerTests {
    @Test func createsOnePinnedPodPerNode() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"), DaemonSetTestCluster.node("n2"), DaemonSetTestCluster.node("n3"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.sync()
        #expect(cluster.podNodes == ["n1", "n2", "n3"])
        let pod = try #require(cluster.pods.first)
        #expect(pod.metadata.generateName == "agent-")
        #expect(pod.metadata.labels?["pod-template-generation"] == "1")
        let hash = try #require(pod.metadata.labels?["controller-revision-hash"])
        #expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.first?.matchFields?.first?.key == "metadata.name")
        #expect((pod.spec.tolerations ?? []).contains { $0.key == "node.kubernetes.io/unschedulable" && $0.effect == "NoSchedule" })
        #expect(pod.metadata.ownerReferences?.first?.kind == "DaemonSet")
        let revisions = cluster.harness.client.objects(AppsV1.ControllerRevision.self)
        #expect(revisions.map { $0.metadata.name } == ["agent-\(hash)"])
        #expect(revisions.first?.metadata.labels?["controller-revision-hash"] == hash)
        #expect(revisions.first?.data?["spec"]?["template"]?["$patch"] == .string("replace"))
        #expect(cluster.harness.events.events.filter { $0.reason == "SuccessfulCreate" }.count == 3)
        #expect(cluster.harness.events.events.first { $0.reason == "SuccessfulCreate" }?.message.hasPrefix("Created pod: agent-") == true)

        cluster.readyAll()
        try await cluster.sync()
        let status = try #require(cluster.storedDaemonSet?.status)
        #expect(status.desiredNumberScheduled == 3)
        #expect(status.currentNumberScheduled == 3)
        #expect(status.numberReady == 3)
        #expect(status.numberAvailable == 3)
        #expect(status.updatedNumberScheduled == 3)
        #expect(status.numberUnavailable == 0)
        #expect(status.numberMisscheduled == 0)
        #expect(status.observedGeneration == 1)
    }

    @Test func followsNodesJoiningAndLeaving() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.sync()
        #expect(cluster.podNodes == ["n1"])
        cluster.addNodes(DaemonSetTestCluster.node("n2"))
        try await cluster.sync()
        #expect(cluster.podNodes == ["n1", "n2"])
        // A node leaves: its bound pod is the pod GC's; the desired count drops.
        cluster.readyAll()
        cluster.removeNode("n2")
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.isEmpty)
        #expect(cluster.storedDaemonSet?.status.desiredNumberScheduled == 1)
    }

    @Test func pendingPodsOfVanishedNodesAreDeleted() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"), DaemonSetTestCluster.node("n2"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.controller.reconcile("default/agent")
        cluster.mirror()
        cluster.removeNode("n2")
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.count == 1)
        #expect(cluster.podNodes == ["n1"])
    }

    @Test func taintedNodesAreSkippedUnlessTolerated() async throws {
        let cluster = DaemonSetTestCluster()
        let taint = CoreV1.Taint(effect: "NoSchedule", key: "dedicated", value: "gpu")
        cluster.addNodes(DaemonSetTestCluster.node("n1"), DaemonSetTestCluster.node("gpu", taints: [taint]))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.sync()
        #expect(cluster.podNodes == ["n1"])
        var tolerating = DaemonSetTestCluster.daemonSet(generation: 2)
        tolerating.spec.template.spec?.tolerations = [CoreV1.Toleration(effect: "NoSchedule", key: "dedicated", operator: "Exists")]
        cluster.apply(tolerating)
        try await cluster.sync()
        #expect(cluster.podNodes.contains("gpu"))
    }

    @Test func noExecuteTaintsEvictDaemonPods() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.sync()
        cluster.addNodes(DaemonSetTestCluster.node("n1", taints: [CoreV1.Taint(effect: "NoExecute", key: "evict")]))
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.count == 1)
        #expect(cluster.pods.isEmpty)
        // A NoSchedule taint alone keeps the pod there but makes no new one.
        cluster.addNodes(DaemonSetTestCluster.node("n1", taints: [CoreV1.Taint(effect: "NoSchedule", key: "keep")]))
        try await cluster.sync()
        #expect(cluster.pods.isEmpty)
    }

    @Test func nodeSelectorChangesMovePods() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1", labels: ["role": "edge"]), DaemonSetTestCluster.node("n2"))
        var ds = DaemonSetTestCluster.daemonSet()
        ds.spec.template.spec?.nodeSelector = ["role": "edge"]
        cluster.apply(ds)
        try await cluster.sync()
        #expect(cluster.podNodes == ["n1"])
        cluster.addNodes(DaemonSetTestCluster.node("n1"))
        try await cluster.sync()
        #expect(cluster.pods.isEmpty)
    }

    @Test func extraPodsOnANodeAreDeletedKeepingTheOldest() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.sync()
        let first = try #require(cluster.pods.first)
        var extra = first
        extra.metadata.name = "agent-extra"
        extra.metadata.uid = "extra"
        extra.metadata.creationTimestamp = MetaV1.Time(secondsSinceEpoch: (first.metadata.creationTimestamp?.secondsSinceEpoch ?? 0) + 10)
        cluster.harness.client.seed(extra)
        cluster.mirror()
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.map(\.name) == ["agent-extra"])
    }

    @Test func failedPodsAreKilledWithBackoff() async throws {
        let instant = Date()
        let cluster = DaemonSetTestCluster(now: { instant })
        cluster.addNodes(DaemonSetTestCluster.node("n1"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.sync()
        let name = try #require(cluster.pods.first?.metadata.name)
        cluster.setPhase([name], phase: "Failed", ready: false)
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.map(\.name) == [name])
        #expect(cluster.harness.events.events.contains {
            $0.type == "Warning" && $0.reason == "FailedDaemonPod"
                && $0.message == "Found failed daemon pod default/\(name) on node n1, will try to kill it"
        })
        try await cluster.sync()
        #expect(cluster.pods.count == 1)
        // The replacement fails at once: within the backoff it is left for later.
        let second = try #require(cluster.pods.first?.metadata.name)
        cluster.setPhase([second], phase: "Failed", ready: false)
        let held = try await cluster.sync()
        #expect(held.filter { $0.verb == "delete" }.isEmpty)
    }

    @Test func rollingUpdateReplacesOneNodeAtATime() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"), DaemonSetTestCluster.node("n2"), DaemonSetTestCluster.node("n3"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.sync()
        cluster.readyAll()
        try await cluster.sync()
        cluster.apply(DaemonSetTestCluster.daemonSet(image: "app:2", generation: 2))
        var maxDeletedAtOnce = 0
        for _ in 0..<12 {
            let writes = try await cluster.sync()
            maxDeletedAtOnce = max(maxDeletedAtOnce, writes.filter { $0.verb == "delete" && $0.kind == "Pod" }.count)
            cluster.readyAll()
        }
        #expect(maxDeletedAtOnce == 1)
        #expect(cluster.pods.count == 3)
        #expect(cluster.pods.allSatisfy { $0.spec.containers.first?.image == "app:2" && $0.metadata.labels?["pod-template-generation"] == "2" })
        let status = try #require(cluster.storedDaemonSet?.status)
        #expect(status.updatedNumberScheduled == 3)
        #expect(status.numberAvailable == 3)
        #expect(cluster.harness.client.objects(AppsV1.ControllerRevision.self).map(\.revision).sorted() == [1, 2])
    }

    @Test func maxUnavailableAllowsSeveralAtOnce() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"), DaemonSetTestCluster.node("n2"), DaemonSetTestCluster.node("n3"),
                         DaemonSetTestCluster.node("n4"))
        cluster.apply(DaemonSetTestCluster.daemonSet(maxUnavailable: .string("50%")))
        try await cluster.sync()
        cluster.readyAll()
        try await cluster.sync()
        cluster.apply(DaemonSetTestCluster.daemonSet(image: "app:2", maxUnavailable: .string("50%"), generation: 2))
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" && $0.kind == "Pod" }.count == 2)
    }

    @Test func surgeStartsTheNewPodBeforeDeletingTheOld() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"), DaemonSetTestCluster.node("n2"))
        cluster.apply(DaemonSetTestCluster.daemonSet(maxUnavailable: .int(0), maxSurge: .int(1)))
        try await cluster.sync()
        cluster.readyAll()
        try await cluster.sync()
        cluster.apply(DaemonSetTestCluster.daemonSet(image: "app:2", maxUnavailable: .int(0), maxSurge: .int(1), generation: 2))
        let first = try await cluster.sync()
        #expect(first.filter { $0.verb == "create" && $0.kind == "Pod" }.count == 1)
        #expect(first.filter { $0.verb == "delete" }.isEmpty)
        #expect(cluster.pods.count == 3)
        // Not yet ready: nothing else happens.
        let waiting = try await cluster.sync()
        #expect(waiting.filter { $0.kind == "Pod" && ($0.verb == "create" || $0.verb == "delete") }.isEmpty)
        cluster.readyAll()
        let second = try await cluster.sync()
        #expect(second.filter { $0.verb == "delete" && $0.kind == "Pod" }.count == 1)
        for _ in 0..<6 {
            try await cluster.sync()
            cluster.readyAll()
        }
        #expect(cluster.pods.count == 2)
        #expect(cluster.pods.allSatisfy { $0.spec.containers.first?.image == "app:2" })
    }

    @Test func onDeleteLeavesOldPods() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"))
        cluster.apply(DaemonSetTestCluster.daemonSet(updateType: "OnDelete"))
        try await cluster.sync()
        cluster.readyAll()
        cluster.apply(DaemonSetTestCluster.daemonSet(image: "app:2", updateType: "OnDelete", generation: 2))
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" && $0.kind == "Pod" }.isEmpty)
        #expect(cluster.storedDaemonSet?.status.updatedNumberScheduled == 0)
    }

    @Test func anEmptySelectorIsRefused() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"))
        var ds = DaemonSetTestCluster.daemonSet()
        ds.spec.selector = MetaV1.LabelSelector()
        cluster.apply(ds)
        let writes = try await cluster.sync()
        #expect(writes.isEmpty)
        #expect(cluster.harness.events.events.map(\.reason) == ["SelectingAll"])
    }

    @Test func unsyncedCreationsHoldTheNextPass() async throws {
        let cluster = DaemonSetTestCluster()
        cluster.addNodes(DaemonSetTestCluster.node("n1"), DaemonSetTestCluster.node("n2"))
        cluster.apply(DaemonSetTestCluster.daemonSet())
        try await cluster.controller.reconcile("default/agent")
        cluster.harness.client.clearActions()
        try await cluster.controller.reconcile("default/agent")
        #expect(cluster.harness.client.writes.filter { $0.kind == "Pod" }.isEmpty)
    }
}
