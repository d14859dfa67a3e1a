import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// How informer events change the garbage collector's graph and what they queue (upstream's
/// graph_builder processGraphChanges cases).
@Suite struct GarbageCollectorGraphTests {
    typealias H = GarbageCollectorTestHarness

    @Test func objectsWithoutOwnersStayOutOfTheGraph() {
        let h = H()
        h.observe(H.configMap("lonely"))
        #expect(h.graph.count == 0)
        #expect(h.attemptToDelete.all.isEmpty)
    }

    @Test func aDependentLinksItsOwnerAsAVirtualNodeUntilTheOwnerIsSeen() {
        let owner = H.configMap("owner")
        let child = H.pod("child", owners: [H.reference(to: owner)])
        let h = H()
        h.observe(child)
        #expect(h.graph.node("owner-uid")?.observed == false)
        #expect(h.graph.node("owner-uid")?.dependents == ["child-uid"])
        #expect(h.graph.node("owner-uid")?.identity == ObjectIdentity(
            apiVersion: "v1", kind: "ConfigMap", namespace: "ns1", name: "owner", uid: "owner-uid"))
        h.observe(owner)
        #expect(h.graph.node("owner-uid")?.observed == true)
    }

    @Test func aClusterScopedOwnerHasNoNamespace() {
        var node = CoreV1.Node()
        node.metadata = H.meta("node1", namespace: "", owners: [], finalizers: nil, deleting: false)
        let child = H.pod("child", owners: [H.reference(to: node)])
        let h = H()
        h.observe(child)
        #expect(h.graph.node("node1-uid")?.identity.namespace == "")
    }

    @Test func anOwnerDeletedQueuesItsDependentsAndIsRememberedAbsent() {
        let owner = H.configMap("owner")
        let first = H.pod("first", owners: [H.reference(to: owner)])
        let second = H.pod("second", owners: [H.reference(to: owner)])
        let h = H()
        h.observe(first, second, owner)
        _ = h.attemptToDelete.popFirst()
        h.observeDeleted(owner)
        #expect(h.attemptToDelete.all == ["first-uid", "second-uid"])
        #expect(h.graph.node("owner-uid") == nil)
        #expect(h.graph.isAbsent(ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: "ns1", name: "owner", uid: "owner-uid")))
    }

    @Test func aDependentThatDropsItsOnlyReferenceLeavesNothingBehind() {
        let owner = H.configMap("owner")
        var child = H.pod("child", owners: [H.reference(to: owner)])
        let h = H()
        h.observe(child)
        child.metadata.ownerReferences = nil
        h.observe(child)
        #expect(h.graph.node("owner-uid") == nil)
        #expect(h.graph.node("child-uid")?.owners == [])
    }

    @Test func aForegroundOwnerIsQueuedAgainWhenABlockingReferenceIsRemovedOrUnblocked() {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.foregroundFinalizer], deleting: true)
        var first = H.pod("first", owners: [H.reference(to: owner, block: true)])
        var second = H.pod("second", owners: [H.reference(to: owner, block: true)])
        let h = H()
        h.observe(owner, first, second)
        while h.attemptToDelete.popFirst() != nil {}
        first.metadata.ownerReferences = nil
        h.observe(first)
        #expect(h.attemptToDelete.all == ["owner-uid"])
        _ = h.attemptToDelete.popFirst()
        second.metadata.ownerReferences = [H.reference(to: owner, block: false)]
        h.observe(second)
        #expect(h.attemptToDelete.all == ["owner-uid"])
        #expect(h.graph.blockingDependents(of: "owner-uid").isEmpty)
    }

    @Test func deletionWithTheOrphanFinalizerQueuesTheOwnerForOrphaningOnce() {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.orphanFinalizer], deleting: true)
        let h = H()
        h.observe(owner)
        h.observe(owner)
        #expect(h.attemptToOrphan.all == ["owner-uid"])
        #expect(h.attemptToDelete.all.isEmpty)
    }

    @Test func aDeletedDependentQueuesItsForegroundOwner() {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.foregroundFinalizer], deleting: true)
        let child = H.pod("child", owners: [H.reference(to: owner, block: true)])
        let h = H()
        h.observe(owner, child)
        while h.attemptToDelete.popFirst() != nil {}
        h.observeDeleted(child)
        #expect(h.attemptToDelete.all == ["owner-uid"])
        #expect(h.graph.node("owner-uid")?.dependents == [])
    }

    @Test func watchedResourcesAreThePreferredDeletableOnesWithoutEvents() {
        let watched = GarbageCollectedResources().watched
        let names = Set(watched.map(\.groupResource))
        #expect(!names.contains("events"))
        #expect(!names.contains("events.events.k8s.io"))
        #expect(names.isSuperset(of: ["pods", "configmaps", "secrets", "replicasets.apps", "deployments.apps", "namespaces"]))
        #expect(watched.filter { $0.groupResource == "horizontalpodautoscalers.autoscaling" }.map(\.version) == ["v2"])
        #expect(watched.count == names.count)
        #expect(watched.allSatisfy { $0.supports("list") && $0.supports("watch") && $0.supports("delete") })
    }

    @Test func ownerReferencesResolveToServedResources() {
        let resources = GarbageCollectedResources()
        #expect(resources.resource(apiVersion: "apps/v1", kind: "ReplicaSet")?.resource == "replicasets")
        #expect(resources.resource(apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler")?.version == "v1")
        #expect(resources.resource(apiVersion: "apps/v1beta2", kind: "Deployment")?.version == "v1")
        #expect(resources.resource(apiVersion: "example.com/v1", kind: "Widget") == nil)
    }
}
