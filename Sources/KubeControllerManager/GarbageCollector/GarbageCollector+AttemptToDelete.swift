import KubeClient
import KubeModel

/// The attempt-to-delete worker (upstream's `attemptToDeleteItem`).
extension GarbageCollector {
    /// What the live owners of an object say about it (upstream's `classifyReferences`).
    struct ClassifiedReferences: Equatable {
        /// Owners that exist and are not deleting their dependents in foreground.
        var solid: [MetaV1.OwnerReference] = []
        /// Owners that do not exist, or exist with another UID.
        var dangling: [MetaV1.OwnerReference] = []
        /// Owners being deleted with the `foregroundDeletion` finalizer.
        var waitingForDependentsDeletion: [MetaV1.OwnerReference] = []
    }

    /// Looks at the object `uid` of the graph: deletes it when no owner remains, patches out its
    /// dangling owners when some remain, and for an owner deleting in foreground checks
    /// whether its blocking dependents are gone.
    func attemptToDelete(_ uid: String) async throws {
        guard let item = graph.node(uid) else { return }
        // Being deleted without waiting on dependents: only its final removal is left.
        if item.beingDeleted && !item.deletingDependents { return }
        guard let resource = resources.resource(of: item.identity) else {
            logger.debug("garbage collector skips an object of an unknown kind", metadata: ["object": "\(item.identity)"])
            return
        }
        guard let latest = try await liveObject(item.identity, resource), latest.metadata.uid == uid else {
            // Gone, or replaced by a newer object of the same name.
            graph.process(.virtualDelete(item.identity))
            return
        }
        if item.deletingDependents {
            try await processDeletingDependents(item)
            return
        }
        let references = latest.metadata.ownerReferences ?? []
        if references.isEmpty { return }
        let classified = try await classify(references, of: item)
        if !classified.solid.isEmpty {
            let gone = classified.dangling + classified.waitingForDependentsDeletion
            if gone.isEmpty { return }
            logger.debug("object has a solid owner; removing its other owner references", metadata: [
                "object": "\(item.identity)", "dangling": "\(gone.map(\.uid))",
            ])
            try await removeOwnerReferences(gone.map(\.uid), from: item, resource, latest)
            return
        }
        if !classified.waitingForDependentsDeletion.isEmpty && !item.dependents.isEmpty {
            // An owner waits for this object's deletion and it has dependents of its own: they go
            // first. A dependent already deleting in foreground would wait on this object in turn,
            // so this object stops blocking its owners to break the cycle.
            if graph.dependents(of: uid).contains(where: \.deletingDependents) {
                try await unblockOwnerReferences(of: item, resource, latest)
            }
            try await deleteObject(item, resource, policy: .foreground)
            return
        }
        let finalizers = latest.metadata.finalizers ?? []
        let policy: DeleteOptions.Propagation =
            finalizers.contains(Self.orphanFinalizer) ? .orphan
            : finalizers.contains(Self.foregroundFinalizer) ? .foreground : .background
        try await deleteObject(item, resource, policy: policy)
    }

    /// Sorts `references` by what a live look-up of each owner finds.
    func classify(_ references: [MetaV1.OwnerReference], of item: GraphNode) async throws -> ClassifiedReferences {
        var result = ClassifiedReferences()
        for reference in references {
            let owner = graph.ownerIdentity(reference, dependentNamespace: item.identity.namespace)
            if graph.isAbsent(owner) {
                result.dangling.append(reference)
                continue
            }
            guard let resource = resources.resource(of: owner) else {
                // A kind this collector cannot look up: never treat it as gone.
                result.solid.append(reference)
                continue
            }
            guard let live = try await liveObject(owner, resource), live.metadata.uid == reference.uid else {
                graph.markAbsent(owner)
                result.dangling.append(reference)
                continue
            }
            if live.metadata.deletionTimestamp != nil,
               (live.metadata.finalizers ?? []).contains(Self.foregroundFinalizer) {
                result.waitingForDependentsDeletion.append(reference)
            } else {
                result.solid.append(reference)
            }
        }
        return result
    }

    /// An owner deleting in foreground: its finalizer goes once no blocking dependent is
    /// left; until then its blocking dependents are deleted.
    func processDeletingDependents(_ item: GraphNode) async throws {
        let blocking = graph.blockingDependents(of: item.identity.uid)
        if blocking.isEmpty {
            try await removeFinalizer(Self.foregroundFinalizer, from: item)
            return
        }
        for dependent in blocking where !dependent.deletingDependents {
            enqueueAttemptToDelete(dependent.identity.uid)
        }
    }

    /// DELETE with a UID precondition; an object already gone (or replaced) leaves the graph.
    func deleteObject(_ item: GraphNode, _ resource: KubeResource, policy: DeleteOptions.Propagation) async throws {
        logger.debug("garbage collector deletes an object", metadata: [
            "object": "\(item.identity)", "propagationPolicy": "\(policy.rawValue)",
        ])
        do {
            try await client.delete(resource, namespace: Self.namespace(of: item.identity, resource),
                                    name: item.identity.name,
                                    DeleteOptions(propagationPolicy: policy, preconditionUID: item.identity.uid))
        } catch let error as StatusError where error.isNotFound || error.isConflict {
            graph.process(.virtualDelete(item.identity))
        }
    }
}
