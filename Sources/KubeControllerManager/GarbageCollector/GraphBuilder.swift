import KubeClient
import KubeModel
import Synchronization

/// A change the graph builder applies: an object seen by an informer (added or updated), an
/// object deleted, or an object a worker found missing on the server (upstream's virtual
/// delete event).
enum GraphEvent: Sendable {
    case upsert(PartialObjectMetadata, KubeResource)
    case delete(PartialObjectMetadata, KubeResource)
    case virtualDelete(ObjectIdentity)
}

/// The garbage collector's dependency graph and the rules that keep it (upstream's
/// `GraphBuilder`): objects with owners, their owners (virtual nodes until an informer sees
/// them) and objects being deleted with the `orphan` or `foregroundDeletion` finalizer. Informer
/// handlers only ``enqueue(_:)`` events; ``run()`` applies them in order, and each change hands
/// the objects it concerns to the attempt-to-delete or attempt-to-orphan queue.
final class GraphBuilder: Sendable {
    /// How many absent owners are remembered (upstream's absent owner cache holds 500).
    static let absentOwnerCacheSize = 500

    private struct State {
        var nodes: [String: GraphNode] = [:]
        var absentOwners: Set<ObjectIdentity> = []
    }

    private let state = Mutex(State())
    private let resources: GarbageCollectedResources
    private let attemptToDelete: @Sendable (String) -> Void
    private let attemptToOrphan: @Sendable (String) -> Void
    private let events: AsyncStream<GraphEvent>
    private let sink: AsyncStream<GraphEvent>.Continuation

    init(resources: GarbageCollectedResources,
         attemptToDelete: @escaping @Sendable (String) -> Void,
         attemptToOrphan: @escaping @Sendable (String) -> Void) {
        self.resources = resources
        self.attemptToDelete = attemptToDelete
        self.attemptToOrphan = attemptToOrphan
        (events, sink) = AsyncStream.makeStream(of: GraphEvent.self)
    }

    /// Queues an event (what informer handlers call; never waits).
    func enqueue(_ event: GraphEvent) { sink.yield(event) }

    /// Hands `uid` to the attempt-to-delete queue.
    func enqueueAttemptToDelete(_ uid: String) { attemptToDelete(uid) }

    /// Applies queued events until the task is cancelled.
    func run() async {
        for await event in events { process(event) }
    }

    // MARK: Reads

    func node(_ uid: String) -> GraphNode? { state.withLock { $0.nodes[uid] } }

    var count: Int { state.withLock { $0.nodes.count } }

    /// The nodes of `uid`'s dependents.
    func dependents(of uid: String) -> [GraphNode] {
        state.withLock { state in
            (state.nodes[uid]?.dependents ?? []).sorted().compactMap { state.nodes[$0] }
        }
    }

    /// The dependents whose reference to `uid` has `blockOwnerDeletion: true`.
    func blockingDependents(of uid: String) -> [GraphNode] {
        dependents(of: uid).filter { $0.reference(to: uid)?.blockOwnerDeletion == true }
    }

    func isAbsent(_ identity: ObjectIdentity) -> Bool { state.withLock { $0.absentOwners.contains(identity) } }

    func markAbsent(_ identity: ObjectIdentity) {
        state.withLock { Self.remember(identity, in: &$0) }
    }

    /// The identity of the owner `reference` names, seen from a dependent in `namespace`.
    func ownerIdentity(_ reference: MetaV1.OwnerReference, dependentNamespace namespace: String) -> ObjectIdentity {
        let namespaced = resources.resource(apiVersion: reference.apiVersion, kind: reference.kind)?.namespaced ?? true
        return ObjectIdentity(owner: reference, dependentNamespace: namespace, namespaced: namespaced)
    }

    // MARK: Changes

    /// Applies one event at once (``run()`` does this for queued events; workers and tests call it directly).
    func process(_ event: GraphEvent) {
        var toDelete: [String] = []
        var toOrphan: [String] = []
        state.withLock { state in
            switch event {
            case .upsert(let object, let resource):
                upsert(object, resource, &state, &toDelete, &toOrphan)
            case .delete(let object, let resource):
                guard let uid = object.metadata.uid, let node = state.nodes[uid] else { return }
                removeNode(uid, &state, &toDelete)
                if !node.dependents.isEmpty { Self.remember(ObjectIdentity(object, of: resource), in: &state) }
            case .virtualDelete(let identity):
                virtualDelete(identity, &state, &toDelete)
            }
        }
        for uid in toDelete { attemptToDelete(uid) }
        for uid in toOrphan { attemptToOrphan(uid) }
    }

    private func upsert(_ object: PartialObjectMetadata, _ resource: KubeResource, _ state: inout State,
                        _ toDelete: inout [String], _ toOrphan: inout [String]) {
        guard let uid = object.metadata.uid, !uid.isEmpty else { return }
        let identity = ObjectIdentity(object, of: resource)
        let owners = object.metadata.ownerReferences ?? []
        let finalizers = object.metadata.finalizers ?? []
        let beingDeleted = object.metadata.deletionTimestamp != nil
        let orphaning = beingDeleted && finalizers.contains(GarbageCollector.orphanFinalizer)
        let foreground = beingDeleted && finalizers.contains(GarbageCollector.foregroundFinalizer)
        if state.nodes[uid] == nil {
            // Objects that neither have owners nor wait on their dependents stay out of the graph
            // until a dependent names them.
            guard !owners.isEmpty || orphaning || foreground else { return }
            state.nodes[uid] = GraphNode(identity: identity)
        }
        state.nodes[uid]!.identity = identity
        state.nodes[uid]!.observed = true
        if state.nodes[uid]!.owners != owners {
            updateOwners(uid, from: state.nodes[uid]!.owners, to: owners, namespace: identity.namespace, &state, &toDelete)
        }
        guard var node = state.nodes[uid] else { return }
        if orphaning && !node.orphaningDependents { toOrphan.append(uid) }
        if foreground && !node.deletingDependents {
            toDelete += node.dependents.sorted()
            toDelete.append(uid)
        }
        node.orphaningDependents = orphaning
        node.deletingDependents = foreground
        node.beingDeleted = node.beingDeleted || beingDeleted
        state.nodes[uid] = node
    }

    /// Moves `uid` between its old and new owners' dependents; an owner deleting in foreground
    /// that loses a blocking dependent is looked at again.
    private func updateOwners(_ uid: String, from old: [MetaV1.OwnerReference], to new: [MetaV1.OwnerReference],
                              namespace: String, _ state: inout State, _ toDelete: inout [String]) {
        let oldByUID = Dictionary(old.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        let newByUID = Dictionary(new.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        state.nodes[uid]?.owners = new
        for reference in old where newByUID[reference.uid] == nil {
            if reference.blockOwnerDeletion == true, state.nodes[reference.uid]?.deletingDependents == true {
                toDelete.append(reference.uid)
            }
            state.nodes[reference.uid]?.dependents.remove(uid)
            prune(reference.uid, &state)
        }
        for reference in new {
            if let previous = oldByUID[reference.uid] {
                if previous.blockOwnerDeletion == true, reference.blockOwnerDeletion != true,
                   state.nodes[reference.uid]?.deletingDependents == true {
                    toDelete.append(reference.uid)
                }
                continue
            }
            if state.nodes[reference.uid] == nil {
                // A virtual node: a worker checks that the owner exists.
                state.nodes[reference.uid] = GraphNode(identity: ownerIdentity(reference, dependentNamespace: namespace))
                toDelete.append(reference.uid)
            }
            state.nodes[reference.uid]?.dependents.insert(uid)
        }
    }

    /// Removes `uid`; its dependents are looked at again (their owner is gone), and so are its
    /// owners that wait for their dependents' deletion.
    private func removeNode(_ uid: String, _ state: inout State, _ toDelete: inout [String]) {
        guard let node = state.nodes.removeValue(forKey: uid) else { return }
        for reference in node.owners {
            state.nodes[reference.uid]?.dependents.remove(uid)
            if state.nodes[reference.uid]?.deletingDependents == true { toDelete.append(reference.uid) }
            prune(reference.uid, &state)
        }
        toDelete += node.dependents.sorted()
    }

    /// A worker found `identity` missing (or with another UID) on the server.
    private func virtualDelete(_ identity: ObjectIdentity, _ state: inout State, _ toDelete: inout [String]) {
        guard let node = state.nodes[identity.uid] else { return }
        if node.observed && node.identity != identity {
            // The object an informer saw differs from the one looked up: only dependents naming
            // the missing coordinates lose their owner.
            Self.remember(identity, in: &state)
            for dependentUID in node.dependents.sorted() {
                guard let reference = state.nodes[dependentUID]?.reference(to: identity.uid),
                      reference.apiVersion == identity.apiVersion, reference.kind == identity.kind,
                      reference.name == identity.name else { continue }
                toDelete.append(dependentUID)
            }
            return
        }
        removeNode(identity.uid, &state, &toDelete)
        if !node.dependents.isEmpty { Self.remember(identity, in: &state) }
    }

    /// Drops a node that no longer links anything and waits for nothing.
    private func prune(_ uid: String, _ state: inout State) {
        guard let node = state.nodes[uid], node.dependents.isEmpty, node.owners.isEmpty,
              !node.beingDeleted else { return }
        state.nodes[uid] = nil
    }

    private static func remember(_ identity: ObjectIdentity, in state: inout State) {
        if state.absentOwners.count >= absentOwnerCacheSize { state.absentOwners.removeAll() }
        state.absentOwners.insert(identity)
    }
}
