import KubeModel

/// One object in the garbage collector's dependency graph (upstream's `node`): its owners as
/// its owner references say, the UIDs of its dependents, and where it stands in deletion.
struct GraphNode: Sendable {
    var identity: ObjectIdentity
    /// The object's owner references (empty for a virtual node).
    var owners: [MetaV1.OwnerReference] = []
    /// UIDs of the objects that name this one as an owner.
    var dependents: Set<String> = []
    /// The object has a deletionTimestamp.
    var beingDeleted = false
    /// Being deleted with the `foregroundDeletion` finalizer: its dependents go first.
    var deletingDependents = false
    /// Being deleted with the `orphan` finalizer.
    var orphaningDependents = false
    /// False for a virtual node: an owner only known from a dependent's reference.
    var observed = false

    init(identity: ObjectIdentity) {
        self.identity = identity
    }

    /// The reference this node's object holds to `ownerUID`, if any.
    func reference(to ownerUID: String) -> MetaV1.OwnerReference? {
        owners.first { $0.uid == ownerUID }
    }
}
