import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// Scenarios after upstream's stateful_set_control_test.go: ordered creation and scale down,
/// bursting, failed pods, rolling updates with a partition, OnDelete, claims and status.
@Suite struct StatefulSetControlTests {
    @Test func orderedReadyCreatesOnePodAtATimeInOrdinalOrder() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 3))
        try await cluster.sync()
        #expect(cluster.podNames == ["web-0"])
        // web-0 is not Ready yet: nothing more.
        try await cluster.sync()
        #expect(cluster.podNames == ["web-0"])
        cluster.setPhase(["web-0"], ready: false)
        try await cluster.sync()
        #expect(cluster.podNames == ["web-0"])
        cluster.setPhase(["web-0"])
        try await cluster.sync()
        #expect(cluster.podNames == ["web-0", "web-1"])
        cluster.setPhase(["web-1"])
        try await cluster.sync()
        #expect(cluster.podNames == ["web-0", "web-1", "web-2"])
        cluster.setPhase(["web-2"])
        try await cluster.sync()
        let status = try #require(cluster.storedSet?.status)
        #expect(status.replicas == 3)
        #expect(status.readyReplicas == 3)
        #expect(status.availableReplicas == 3)
        #expect(status.currentReplicas == 3)
        #expect(status.updatedReplicas == 3)
        #expect(status.currentRevision == status.updateRevision)
        #expect(status.observedGeneration == 1)
        #expect(cluster.harness.events.events.filter { $0.reason == "SuccessfulCreate" }.map(\.message) == [
            "create Pod web-0 in StatefulSet web successful",
            "create Pod web-1 in StatefulSet web successful",
            "create Pod web-2 in StatefulSet web successful",
        ])
    }

    @Test func podsCarryTheirIdentity() async throws {
        let cluster = StatefulSetTestCluster()
        var set = StatefulSetTestCluster.set(replicas: 1)
        set.spec.ordinals = AppsV1.StatefulSetOrdinals(start: 5)
        cluster.apply(set)
        try await cluster.sync()
        let pod = try #require(cluster.pod("web-5"))
        #expect(pod.metadata.labels?["statefulset.kubernetes.io/pod-name"] == "web-5")
        #expect(pod.metadata.labels?["apps.kubernetes.io/pod-index"] == "5")
        #expect(pod.metadata.labels?["app"] == "web")
        let revision = try #require(pod.metadata.labels?["controller-revision-hash"])
        #expect(revision.hasPrefix("web-"))
        #expect(pod.spec.hostname == "web-5")
        #expect(pod.spec.subdomain == "web")
        #expect(pod.metadata.ownerReferences?.first?.kind == "StatefulSet")
        #expect(pod.metadata.ownerReferences?.first?.controller == true)
        let revisions = cluster.harness.client.objects(AppsV1.ControllerRevision.self)
        #expect(revisions.map { $0.metadata.name } == [revision])
        #expect(revisions.first?.revision == 1)
    }

    @Test func parallelCreatesEveryPodAtOnce() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 3, policy: "Parallel"))
        try await cluster.sync()
        #expect(cluster.podNames == ["web-0", "web-1", "web-2"])
    }

    @Test func scaleDownDeletesFromTheHighestOrdinalOneAtATime() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 3, policy: "Parallel"))
        try await cluster.sync()
        cluster.readyAll()
        var set = StatefulSetTestCluster.set(replicas: 1)
        set.status = cluster.storedSet!.status
        cluster.apply(set)
        let first = try await cluster.sync()
        #expect(first.filter { $0.verb == "delete" }.map(\.name) == ["web-2"])
        #expect(cluster.podNames == ["web-0", "web-1"])
        let second = try await cluster.sync()
        #expect(second.filter { $0.verb == "delete" }.map(\.name) == ["web-1"])
        #expect(cluster.podNames == ["web-0"])
        #expect(cluster.harness.events.events.filter { $0.reason == "SuccessfulDelete" }.map(\.message) == [
            "delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful",
        ])
    }

    @Test func scaleDownWaitsForUnhealthyPredecessors() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 3, policy: "Parallel"))
        try await cluster.sync()
        cluster.readyAll()
        cluster.setPhase(["web-0"], ready: false)
        cluster.apply(StatefulSetTestCluster.set(replicas: 1))
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.isEmpty)
    }

    @Test func failedPodIsDeletedAndRecreated() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 2, policy: "Parallel"))
        try await cluster.sync()
        cluster.readyAll()
        cluster.setPhase(["web-1"], phase: "Failed", ready: false)
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.map(\.name) == ["web-1"])
        try await cluster.sync()
        #expect(cluster.podNames == ["web-0", "web-1"])
        #expect(cluster.pod("web-1")?.status.phase == "Pending")
    }

    @Test func rollingUpdateWithPartitionUpdatesOnlyOrdinalsAtOrAbove() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 3, policy: "Parallel"))
        try await cluster.sync()
        cluster.readyAll()
        try await cluster.sync()
        let oldRevision = try #require(cluster.storedSet?.status.currentRevision)
        var updated = StatefulSetTestCluster.set(replicas: 3, policy: "Parallel", image: "app:2", partition: 2)
        updated.status = cluster.storedSet!.status
        cluster.apply(updated)
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" }.map(\.name) == ["web-2"])
        try await cluster.sync()
        let newPod = try #require(cluster.pod("web-2"))
        #expect(newPod.spec.containers.first?.image == "app:2")
        let newRevision = try #require(newPod.metadata.labels?["controller-revision-hash"])
        #expect(newRevision != oldRevision)
        cluster.readyAll()
        let after = try await cluster.sync()
        #expect(after.filter { $0.verb == "delete" }.isEmpty)
        let status = try #require(cluster.storedSet?.status)
        #expect(status.currentRevision == oldRevision)
        #expect(status.updateRevision == newRevision)
        #expect(status.updatedReplicas == 1)
        #expect(status.currentReplicas == 2)
        #expect(cluster.harness.client.objects(AppsV1.ControllerRevision.self).map(\.revision).sorted() == [1, 2])
    }

    @Test func rollingUpdateGoesFromTheHighestOrdinalDown() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 3))
        for _ in 0..<3 {
            try await cluster.sync()
            cluster.readyAll()
        }
        try await cluster.sync()
        var updated = StatefulSetTestCluster.set(replicas: 3, image: "app:2")
        updated.status = cluster.storedSet!.status
        cluster.apply(updated)
        var deleted: [String] = []
        for _ in 0..<12 {
            let writes = try await cluster.sync()
            deleted += writes.filter { $0.verb == "delete" && $0.kind == "Pod" }.map(\.name)
            cluster.readyAll()
        }
        #expect(deleted == ["web-2", "web-1", "web-0"])
        let status = try #require(cluster.storedSet?.status)
        #expect(status.currentRevision == status.updateRevision)
        #expect(status.updatedReplicas == 3)
        #expect(cluster.podNames.allSatisfy { cluster.pod($0)?.spec.containers.first?.image == "app:2" })
    }

    @Test func onDeleteLeavesPodsAlone() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 2, policy: "Parallel", updateType: "OnDelete"))
        try await cluster.sync()
        cluster.readyAll()
        var updated = StatefulSetTestCluster.set(replicas: 2, policy: "Parallel", image: "app:2", updateType: "OnDelete")
        updated.status = cluster.storedSet!.status
        cluster.apply(updated)
        let writes = try await cluster.sync()
        #expect(writes.filter { $0.verb == "delete" && $0.kind == "Pod" }.isEmpty)
        // A pod deleted by hand comes back at the update revision.
        try await cluster.harness.client.delete(CoreV1.Pod.self, namespace: "default", name: "web-1", DeleteOptions())
        cluster.mirror()
        try await cluster.sync()
        #expect(cluster.pod("web-1")?.spec.containers.first?.image == "app:2")
        #expect(cluster.pod("web-0")?.spec.containers.first?.image == "app:1")
    }

    @Test func claimsAreCreatedBeforeTheirPods() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 1, claims: ["datadir"]))
        let writes = try await cluster.sync()
        #expect(StatefulSetTestCluster.describe(writes).prefix(3) == [
            "create ControllerRevision default/\(writes[0].name)",
            "create PersistentVolumeClaim default/datadir-web-0",
            "create Pod default/web-0",
        ])
        let claim = try #require(cluster.harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "default", name: "datadir-web-0"))
        #expect(claim.metadata.labels?["app"] == "web")
        #expect(claim.metadata.ownerReferences == nil)
        let pod = try #require(cluster.pod("web-0"))
        #expect(pod.spec.volumes?.first { $0.name == "datadir" }?.persistentVolumeClaim?.claimName == "datadir-web-0")
        #expect(cluster.harness.events.events.map(\.message).contains("create Claim datadir-web-0 Pod web-0 in StatefulSet web success"))
    }

    @Test func whenDeletedDeleteMakesTheSetOwnTheClaims() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 1, claims: ["datadir"], retention: ("Delete", "Retain")))
        try await cluster.sync()
        cluster.readyAll()
        try await cluster.sync()
        let claim = try #require(cluster.harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "default", name: "datadir-web-0"))
        #expect(claim.metadata.ownerReferences?.map(\.kind) == ["StatefulSet"])
    }

    @Test func whenScaledDeleteHandsTheClaimsOfCondemnedPodsToThePods() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 2, policy: "Parallel", claims: ["datadir"], retention: ("Retain", "Delete")))
        try await cluster.sync()
        cluster.readyAll()
        cluster.apply(StatefulSetTestCluster.set(replicas: 1, policy: "Parallel", claims: ["datadir"], retention: ("Retain", "Delete")))
        let writes = try await cluster.sync()
        #expect(StatefulSetTestCluster.describe(writes).contains("update PersistentVolumeClaim default/datadir-web-1"))
        #expect(StatefulSetTestCluster.describe(writes).contains("delete Pod default/web-1"))
        let claim = try #require(cluster.harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "default", name: "datadir-web-1"))
        #expect(claim.metadata.ownerReferences?.map(\.kind) == ["Pod"])
        #expect(claim.metadata.ownerReferences?.first?.name == "web-1")
        let kept = try #require(cluster.harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "default", name: "datadir-web-0"))
        #expect(kept.metadata.ownerReferences == nil)
    }

    @Test func unsyncedCreationsHoldTheNextPass() async throws {
        let cluster = StatefulSetTestCluster()
        cluster.apply(StatefulSetTestCluster.set(replicas: 2, policy: "Parallel"))
        try await cluster.controller.reconcile("default/web")
        // The informer has not shown the pods: a second pass must not create them again.
        cluster.harness.client.clearActions()
        try await cluster.controller.reconcile("default/web")
        #expect(cluster.harness.client.writes.filter { $0.kind == "Pod" }.isEmpty)
    }
}
