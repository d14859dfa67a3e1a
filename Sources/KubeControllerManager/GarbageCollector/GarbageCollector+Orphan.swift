import KubeClient
import KubeModel

/// The attempt-to-orphan worker and the patches both workers write.
extension GarbageCollector {
    /// An owner deleted with the `orphan` finalizer: its dependents lose their references to
    /// it, then the finalizer goes.
    func attemptToOrphan(_ uid: String) async throws {
        guard let owner = graph.node(uid) else { return }
        for dependent in graph.dependents(of: uid) {
            guard let resource = resources.resource(of: dependent.identity) else { continue }
            do {
                _ = try await client.patchMetadata(
                    resource, namespace: Self.namespace(of: dependent.identity, resource), name: dependent.identity.name,
                    GarbageCollectorPatches.deleteOwnerReferences([uid], dependentUID: dependent.identity.uid))
            } catch let error as StatusError where error.isNotFound {
                continue  // already gone
            } catch let error as StatusError where error.code == 415 {
                try await patchWithoutStrategicMerge(dependent, resource) {
                    GarbageCollectorPatches.deleteOwnerReferencesMerge([uid], of: $0)
                }
            }
        }
        try await removeFinalizer(Self.orphanFinalizer, from: owner)
    }

    /// Removes `finalizer` from the live object with a patch pinned to its resourceVersion,
    /// retrying on conflicts (upstream's `removeFinalizer`).
    func removeFinalizer(_ finalizer: String, from item: GraphNode) async throws {
        guard let resource = resources.resource(of: item.identity) else { return }
        var attempt = 0
        while true {
            guard let latest = try await liveObject(item.identity, resource), latest.metadata.uid == item.identity.uid,
                  (latest.metadata.finalizers ?? []).contains(finalizer) else { return }
            do {
                _ = try await client.patchMetadata(
                    resource, namespace: Self.namespace(of: item.identity, resource), name: item.identity.name,
                    GarbageCollectorPatches.removeFinalizer(finalizer, of: latest))
                return
            } catch let error as StatusError where error.isNotFound {
                return
            } catch let error as StatusError where error.isConflict && attempt + 1 < Self.conflictRetries {
                attempt += 1
            }
        }
    }

    /// Takes the references to `ownerUIDs` out of `item`'s owner references.
    func removeOwnerReferences(_ ownerUIDs: [String], from item: GraphNode, _ resource: KubeResource,
                               _ latest: PartialObjectMetadata) async throws {
        do {
            _ = try await client.patchMetadata(
                resource, namespace: Self.namespace(of: item.identity, resource), name: item.identity.name,
                GarbageCollectorPatches.deleteOwnerReferences(ownerUIDs, dependentUID: item.identity.uid))
        } catch let error as StatusError where error.isNotFound {
            return
        } catch let error as StatusError where error.code == 415 {
            try await patchWithoutStrategicMerge(item, resource) {
                GarbageCollectorPatches.deleteOwnerReferencesMerge(ownerUIDs, of: $0)
            }
        }
    }

    /// Sets `blockOwnerDeletion: false` on `item`'s blocking references.
    func unblockOwnerReferences(of item: GraphNode, _ resource: KubeResource, _ latest: PartialObjectMetadata) async throws {
        do {
            _ = try await client.patchMetadata(
                resource, namespace: Self.namespace(of: item.identity, resource), name: item.identity.name,
                GarbageCollectorPatches.unblockOwnerReferences(latest.metadata.ownerReferences ?? [], uid: item.identity.uid))
        } catch let error as StatusError where error.code == 415 {
            try await patchWithoutStrategicMerge(item, resource) { GarbageCollectorPatches.unblockOwnerReferencesMerge(of: $0) }
        }
    }

    /// A JSON merge patch made from the live object, for resources that do not take strategic
    /// merge patches; retried on conflicts.
    private func patchWithoutStrategicMerge(_ item: GraphNode, _ resource: KubeResource,
                                            _ makePatch: (PartialObjectMetadata) -> ObjectPatch) async throws {
        var attempt = 0
        while true {
            guard let latest = try await liveObject(item.identity, resource), latest.metadata.uid == item.identity.uid else { return }
            do {
                _ = try await client.patchMetadata(
                    resource, namespace: Self.namespace(of: item.identity, resource), name: item.identity.name, makePatch(latest))
                return
            } catch let error as StatusError where error.isConflict && attempt + 1 < Self.conflictRetries {
                attempt += 1
            }
        }
    }
}
