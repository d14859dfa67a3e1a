import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Logging
import Synchronization

/// A work queue stand-in that keeps UIDs in order and, like a work queue, holds each once.
final class PendingUIDs: Sendable {
    private let uids = Mutex<[String]>([])

    func add(_ uid: String) { uids.withLock { if !$0.contains(uid) { $0.append(uid) } } }
    func popFirst() -> String? { uids.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    var all: [String] { uids.withLock { $0 } }
}

/// Drives the garbage collector by hand (upstream's garbagecollector_test.go steps): objects
/// live in a ``RecordingObjectClient``; the test feeds informer events into the graph and runs
/// the queued attempt-to-delete / attempt-to-orphan items one at a time.
struct GarbageCollectorTestHarness {
    let client: RecordingObjectClient
    let collector: GarbageCollector
    let attemptToDelete = PendingUIDs()
    let attemptToOrphan = PendingUIDs()

    init(objects: [any KubeObject] = []) {
        client = RecordingObjectClient(objects: objects)
        let deletes = attemptToDelete, orphans = attemptToOrphan
        collector = GarbageCollector(client: client, logger: Logger(label: "test"), informers: nil,
                                     attemptToDelete: { deletes.add($0) }, attemptToOrphan: { orphans.add($0) })
    }

    var graph: GraphBuilder { collector.graph }

    static func resource(of object: some KubeObject) -> KubeResource {
        KubeResourceCatalog.builtIn.resource(for: type(of: object))!
    }

    static func metadata(of object: some KubeObject) -> PartialObjectMetadata {
        let gvk = type(of: object).groupVersionKind
        return PartialObjectMetadata(apiVersion: gvk.apiVersion, kind: gvk.kind, metadata: object.metadata)
    }

    /// An informer add or update of `object`.
    func observe(_ objects: any KubeObject...) {
        for object in objects { graph.process(.upsert(Self.metadata(of: object), Self.resource(of: object))) }
    }

    /// An informer delete of `object`.
    func observeDeleted(_ object: some KubeObject) {
        graph.process(.delete(Self.metadata(of: object), Self.resource(of: object)))
    }

    /// Runs the first queued attempt-to-delete item; false when none was queued.
    @discardableResult
    func processAttemptToDelete() async throws -> Bool {
        guard let uid = attemptToDelete.popFirst() else { return false }
        try await collector.attemptToDelete(uid)
        return true
    }

    /// Runs queued attempt-to-delete items until none is left.
    func drainAttemptToDelete() async throws {
        while try await processAttemptToDelete() {}
    }

    @discardableResult
    func processAttemptToOrphan() async throws -> Bool {
        guard let uid = attemptToOrphan.popFirst() else { return false }
        try await collector.attemptToOrphan(uid)
        return true
    }

    var writes: [String] { client.writes.map(\.description) }

    // MARK: Objects

    static func reference(to owner: some KubeObject, block: Bool? = nil) -> MetaV1.OwnerReference {
        let gvk = type(of: owner).groupVersionKind
        return MetaV1.OwnerReference(apiVersion: gvk.apiVersion, blockOwnerDeletion: block, kind: gvk.kind,
                                     name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "")
    }

    static func configMap(_ name: String, namespace: String = "ns1", owners: [MetaV1.OwnerReference] = [],
                          finalizers: [String]? = nil, deleting: Bool = false) -> CoreV1.ConfigMap {
        var configMap = CoreV1.ConfigMap()
        configMap.metadata = meta(name, namespace: namespace, owners: owners, finalizers: finalizers, deleting: deleting)
        return configMap
    }

    static func pod(_ name: String, namespace: String = "ns1", owners: [MetaV1.OwnerReference] = []) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata = meta(name, namespace: namespace, owners: owners, finalizers: nil, deleting: false)
        return pod
    }

    static func meta(_ name: String, namespace: String, owners: [MetaV1.OwnerReference], finalizers: [String]?,
                     deleting: Bool) -> MetaV1.ObjectMeta {
        var meta = MetaV1.ObjectMeta()
        meta.name = name
        meta.namespace = namespace.isEmpty ? nil : namespace
        meta.uid = "\(name)-uid"
        meta.resourceVersion = "1"
        meta.ownerReferences = owners.isEmpty ? nil : owners
        meta.finalizers = finalizers
        if deleting { meta.deletionTimestamp = .now() }
        return meta
    }
}
