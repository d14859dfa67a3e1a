import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// The attempt-to-delete and attempt-to-orphan workers against a recording client, with cases
/// from upstream's garbagecollector_test.go (dangling references, owners partially present,
/// foreground deletion with blocking and non-blocking dependents, orphaning).
@Suite struct GarbageCollectorTests {
    typealias H = GarbageCollectorTestHarness

    struct DanglingCase: Sendable, CustomTestStringConvertible {
        var label: String
        /// The owner as the server has it (nil: absent).
        var liveOwner: CoreV1.ConfigMap?
        var testDescription: String { label }
    }

    static let danglingCases: [DanglingCase] = [
        DanglingCase(label: "owner does not exist", liveOwner: nil),
        DanglingCase(label: "owner exists with another uid", liveOwner: {
            var owner = H.configMap("owner")
            owner.metadata.uid = "replacement-uid"
            return owner
        }()),
    ]

    @Test(arguments: danglingCases)
    func aDependentOfAMissingOwnerIsDeletedInBackground(_ testCase: DanglingCase) async throws {
        let owner = H.configMap("owner")
        let child = H.configMap("child", owners: [H.reference(to: owner)])
        let h = H(objects: [child] + (testCase.liveOwner.map { [$0] } ?? []))
        h.observe(child)
        // The owner is known only from the reference: a virtual node, checked first.
        #expect(h.graph.node("owner-uid")?.observed == false)
        #expect(h.attemptToDelete.all == ["owner-uid"])
        try await h.processAttemptToDelete()
        #expect(h.client.actions.map(\.description) == ["get ConfigMap ns1/owner"])
        #expect(h.graph.node("owner-uid") == nil)
        #expect(h.attemptToDelete.all == ["child-uid"])
        try await h.processAttemptToDelete()
        // The owner's absence is remembered: no second look-up.
        #expect(h.client.actions.map(\.description) == [
            "get ConfigMap ns1/owner", "get ConfigMap ns1/child", "delete ConfigMap ns1/child",
        ])
        let delete = try #require(h.client.writes.last)
        #expect(delete.deleteOptions == DeleteOptions(propagationPolicy: .background, preconditionUID: "child-uid"))
    }

    @Test func aDependentWithSomeOwnersLeftLosesOnlyTheDanglingReferences() async throws {
        let present = H.configMap("present")
        let missing = H.configMap("missing")
        let child = H.configMap("child", owners: [H.reference(to: present), H.reference(to: missing)])
        let h = H(objects: [present, child])
        h.observe(child)
        #expect(h.attemptToDelete.all == ["present-uid", "missing-uid"])
        try await h.drainAttemptToDelete()
        #expect(h.writes == ["patch ConfigMap ns1/child"])
        let patch = try #require(h.client.writes.first?.body)
        #expect(patch == .object(["metadata": .object([
            "ownerReferences": .array([.object(["$patch": .string("delete"), "uid": .string("missing-uid")])]),
            "uid": .string("child-uid"),
        ])]))
        #expect(h.client.object(CoreV1.ConfigMap.self, namespace: "ns1", name: "child") != nil)
    }

    @Test func aDependentWhoseOwnersAllExistIsLeftAlone() async throws {
        let owner = H.configMap("owner")
        let child = H.configMap("child", owners: [H.reference(to: owner)])
        let h = H(objects: [owner, child])
        h.observe(owner, child)
        try await h.drainAttemptToDelete()
        #expect(h.writes.isEmpty)
        h.attemptToDelete.add("child-uid")
        try await h.drainAttemptToDelete()
        #expect(h.writes.isEmpty)
    }

    @Test func anOwnerOfAnUnknownKindIsNeverTakenForGone() async throws {
        let reference = MetaV1.OwnerReference(apiVersion: "example.com/v1", kind: "Widget", name: "w", uid: "widget-uid")
        let child = H.configMap("child", owners: [reference])
        let h = H(objects: [child])
        h.observe(child)
        h.attemptToDelete.add("child-uid")
        try await h.drainAttemptToDelete()
        #expect(h.writes.isEmpty)
    }

    @Test func foregroundDeletionWaitsOnlyForBlockingDependents() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.foregroundFinalizer], deleting: true)
        let blocking = H.configMap("blocking", owners: [H.reference(to: owner, block: true)])
        let nonBlocking = H.configMap("non-blocking", owners: [H.reference(to: owner, block: false)])
        let h = H(objects: [owner, blocking, nonBlocking])
        h.observe(blocking, nonBlocking, owner)
        #expect(h.graph.node("owner-uid")?.deletingDependents == true)
        #expect(h.attemptToDelete.all == ["owner-uid", "blocking-uid", "non-blocking-uid"])
        try await h.drainAttemptToDelete()
        // Both dependents go (in background, having no dependents); the owner waits for the blocking one.
        #expect(h.writes == ["delete ConfigMap ns1/blocking", "delete ConfigMap ns1/non-blocking"])
        #expect(h.client.writes.allSatisfy { $0.deleteOptions?.propagationPolicy == .background })
        h.observeDeleted(blocking)
        #expect(h.attemptToDelete.all == ["owner-uid"])
        try await h.drainAttemptToDelete()
        #expect(h.writes.last == "patch ConfigMap ns1/owner")
        #expect(h.client.writes.last?.body == .object(["metadata": .object([
            "resourceVersion": .string("1"), "finalizers": .null,
        ])]))
    }

    @Test func theOwnerFinalizerGoesWhileNonBlockingDependentsRemain() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.foregroundFinalizer, "example.com/keep"], deleting: true)
        let nonBlocking = H.configMap("non-blocking", owners: [H.reference(to: owner)])
        let h = H(objects: [owner, nonBlocking])
        h.observe(nonBlocking, owner)
        try await h.collector.attemptToDelete("owner-uid")
        #expect(h.writes == ["patch ConfigMap ns1/owner"])
        #expect(h.client.writes.last?.body == .object(["metadata": .object([
            "resourceVersion": .string("1"), "finalizers": .array([.string("example.com/keep")]),
        ])]))
    }

    @Test func aDependentWithItsOwnBlockingDependentsIsDeletedInForeground() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.foregroundFinalizer], deleting: true)
        let middle = H.configMap("middle", owners: [H.reference(to: owner, block: true)])
        let leaf = H.pod("leaf", owners: [H.reference(to: middle, block: true)])
        let h = H(objects: [owner, middle, leaf])
        h.observe(owner, middle, leaf)
        try await h.drainAttemptToDelete()
        #expect(h.writes == ["delete ConfigMap ns1/middle"])
        #expect(h.client.writes.first?.deleteOptions?.propagationPolicy == .foreground)
    }

    @Test func aDependentDeletingInForegroundUnblocksItsWaitingOwnerToBreakACycle() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.foregroundFinalizer], deleting: true)
        let middle = H.configMap("middle", owners: [H.reference(to: owner, block: true)])
        let leaf = H.configMap("leaf", owners: [H.reference(to: middle, block: true)],
                               finalizers: [GarbageCollector.foregroundFinalizer], deleting: true)
        let h = H(objects: [owner, middle, leaf])
        h.observe(owner, middle, leaf)
        try await h.collector.attemptToDelete("middle-uid")
        #expect(h.writes == ["patch ConfigMap ns1/middle", "delete ConfigMap ns1/middle"])
        #expect(h.client.writes.first?.body == .object(["metadata": .object([
            "ownerReferences": .array([.object([
                "apiVersion": .string("v1"), "blockOwnerDeletion": .bool(false), "kind": .string("ConfigMap"),
                "name": .string("owner"), "uid": .string("owner-uid"),
            ])]),
            "uid": .string("middle-uid"),
        ])]))
    }

    @Test func aSolidOwnerKeepsTheDependentAndOwnersWaitingForDependentsAreDropped() async throws {
        let solid = H.configMap("solid")
        let waiting = H.configMap("waiting", finalizers: [GarbageCollector.foregroundFinalizer], deleting: true)
        let child = H.configMap("child", owners: [H.reference(to: solid), H.reference(to: waiting, block: true)])
        let h = H(objects: [solid, waiting, child])
        h.observe(child)
        h.attemptToDelete.add("child-uid")
        try await h.drainAttemptToDelete()
        #expect(h.writes == ["patch ConfigMap ns1/child"])
        #expect(h.client.writes.first?.body == .object(["metadata": .object([
            "ownerReferences": .array([.object(["$patch": .string("delete"), "uid": .string("waiting-uid")])]),
            "uid": .string("child-uid"),
        ])]))
    }

    @Test func orphaningRemovesTheOwnerReferencesThenTheFinalizer() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.orphanFinalizer], deleting: true)
        let first = H.configMap("first", owners: [H.reference(to: owner, block: true)])
        let second = H.pod("second", owners: [H.reference(to: owner)])
        let h = H(objects: [owner, first, second])
        h.observe(first, second, owner)
        #expect(h.attemptToOrphan.all == ["owner-uid"])
        try await h.processAttemptToOrphan()
        #expect(h.writes == ["patch ConfigMap ns1/first", "patch Pod ns1/second", "patch ConfigMap ns1/owner"])
        let bodies = h.client.writes.map(\.body)
        #expect(bodies[0] == .object(["metadata": .object([
            "ownerReferences": .array([.object(["$patch": .string("delete"), "uid": .string("owner-uid")])]),
            "uid": .string("first-uid"),
        ])]))
        #expect(bodies[2] == .object(["metadata": .object(["resourceVersion": .string("1"), "finalizers": .null])]))
        // Nothing is deleted.
        #expect(!h.writes.contains { $0.hasPrefix("delete") })
    }

    @Test func orphaningToleratesADependentAlreadyGone() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.orphanFinalizer], deleting: true)
        let gone = H.configMap("gone", owners: [H.reference(to: owner)])
        let h = H(objects: [owner])
        h.observe(gone, owner)
        try await h.processAttemptToOrphan()
        #expect(h.writes == ["patch ConfigMap ns1/gone", "patch ConfigMap ns1/owner"])
    }

    @Test func aRemovedFinalizerIsNotPatchedAgain() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.orphanFinalizer], deleting: true)
        var live = owner
        live.metadata.finalizers = ["example.com/other"]
        let h = H(objects: [live])
        h.observe(owner)
        try await h.processAttemptToOrphan()
        #expect(h.writes.isEmpty)
    }

    @Test func aFinalizerPatchConflictIsRetriedOnTheLatestObject() async throws {
        let owner = H.configMap("owner", finalizers: [GarbageCollector.orphanFinalizer], deleting: true)
        let h = H(objects: [owner])
        h.observe(owner)
        h.client.inject(RecordingObjectClient.statusError(code: 409, reason: "Conflict", message: "modified"),
                        verb: "patch", kind: "ConfigMap")
        try await h.processAttemptToOrphan()
        #expect(h.client.actions.map(\.description) == [
            "get ConfigMap ns1/owner", "patch ConfigMap ns1/owner", "get ConfigMap ns1/owner", "patch ConfigMap ns1/owner",
        ])
    }
}
