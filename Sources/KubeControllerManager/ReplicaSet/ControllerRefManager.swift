import KubeClient
import KubeModel
import Synchronization

/// Adopts and releases an owner's children by their controller reference (upstream's
/// `BaseControllerRefManager.ClaimObject` with `PodControllerRefManager` /
/// `ReplicaSetControllerRefManager`): a child controlled by the owner stays claimed while it
/// matches and is released (its reference removed) when it stops matching; a matching orphan
/// is adopted, after one live check that the owner is still the same and not being deleted
/// (upstream's `RecheckDeletionTimestamp`). Children controlled by someone else are ignored.
/// `finalizers` (the Job controller's tracking finalizer) are added on adoption and removed on
/// release, as upstream's `PodControllerRefManager` does with its finalizers.
public final class ControllerRefManager<Owner: KubeObject>: Sendable {
    public let owner: Owner
    let client: any ObjectClient
    let finalizers: [String]
    let canAdopt: @Sendable () async throws -> Void
    private let adoptionChecked = Mutex<Bool>(false)

    /// `recheck` fetches the owner live; adoption stops when it is gone, replaced or being deleted.
    public init(owner: Owner, client: any ObjectClient, finalizers: [String] = [],
                recheck: @escaping @Sendable () async throws -> Owner) {
        self.owner = owner
        self.client = client
        self.finalizers = finalizers
        let uid = owner.metadata.uid ?? ""
        let namespace = owner.metadata.namespace ?? ""
        let name = owner.metadata.name ?? ""
        canAdopt = {
            let fresh = try await recheck()
            if fresh.metadata.uid != uid {
                throw ClaimError("original \(namespace)/\(name) is gone: got uid \(fresh.metadata.uid ?? ""), wanted \(uid)")
            }
            if fresh.metadata.deletionTimestamp != nil {
                throw ClaimError("\(namespace)/\(name) has just been deleted at \(fresh.metadata.deletionTimestamp!)")
            }
        }
    }

    /// The live check with the owner's own client GET.
    public convenience init(owner: Owner, client: any ObjectClient, finalizers: [String] = []) {
        let namespace = owner.metadata.namespace
        let name = owner.metadata.name ?? ""
        self.init(owner: owner, client: client, finalizers: finalizers) {
            try await client.get(Owner.self, namespace: namespace, name: name)
        }
    }

    public struct ClaimError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The children of `candidates` the owner controls after adopting and releasing;
    /// errors of individual adoptions or releases are collected and thrown after all were tried,
    /// with what was claimed so far.
    public func claim<Child: KubeObject>(
        _ candidates: [Child], matching match: (Child) -> Bool
    ) async -> (claimed: [Child], errors: [any Error]) {
        var claimed: [Child] = []
        var errors: [any Error] = []
        for child in candidates {
            do {
                if let adopted = try await claimOne(child, match) { claimed.append(adopted) }
            } catch {
                errors.append(error)
            }
        }
        return (claimed, errors)
    }

    private func claimOne<Child: KubeObject>(_ child: Child, _ match: (Child) -> Bool) async throws -> Child? {
        let ownerUID = owner.metadata.uid ?? ""
        if let reference = OwnerReferences.controller(of: child) {
            guard reference.uid == ownerUID else { return nil }
            if match(child) { return child }
            guard owner.metadata.deletionTimestamp == nil else { return nil }
            try await release(child)
            return nil
        }
        guard owner.metadata.deletionTimestamp == nil, match(child), child.metadata.deletionTimestamp == nil,
              (owner.metadata.namespace ?? "") == (child.metadata.namespace ?? "") else { return nil }
        do {
            return try await adopt(child)
        } catch let error as StatusError where error.isNotFound {
            return nil
        }
    }

    private func checkAdoption() async throws {
        if adoptionChecked.withLock({ $0 }) { return }
        try await canAdopt()
        adoptionChecked.withLock { $0 = true }
    }

    /// Adds the owner's controller reference to `child` (a strategic merge patch carrying the
    /// child's UID, so a replaced child of the same name is not touched).
    func adopt<Child: KubeObject>(_ child: Child) async throws -> Child {
        do {
            try await checkAdoption()
        } catch {
            throw ClaimError("can't adopt \(Child.groupVersionKind.kind) \(child.metadata.namespace ?? "")/\(child.metadata.name ?? "") (\(child.metadata.uid ?? "")): \(error)")
        }
        let reference = OwnerReferences.controllerReference(to: owner)
        var metadata: [String: JSONValue] = [
            "ownerReferences": .array([.object([
                "apiVersion": .string(reference.apiVersion), "kind": .string(reference.kind),
                "name": .string(reference.name), "uid": .string(reference.uid),
                "controller": .bool(true), "blockOwnerDeletion": .bool(true),
            ])]),
            "uid": .string(child.metadata.uid ?? ""),
        ]
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map { .string($0) }) }
        let patch = ObjectPatch(.strategicMerge, json: .object(["metadata": .object(metadata)]))
        return try await client.patch(Child.self, namespace: child.metadata.namespace, name: child.metadata.name ?? "", patch)
    }

    /// Removes the owner's reference from `child`; a child already gone or changed is fine.
    func release<Child: KubeObject>(_ child: Child) async throws {
        var metadata: [String: JSONValue] = [
            "ownerReferences": .array([.object(["$patch": .string("delete"), "uid": .string(owner.metadata.uid ?? "")])]),
            "uid": .string(child.metadata.uid ?? ""),
        ]
        if !finalizers.isEmpty { metadata["$deleteFromPrimitiveList/finalizers"] = .array(finalizers.map { .string($0) }) }
        let patch = ObjectPatch(.strategicMerge, json: .object(["metadata": .object(metadata)]))
        do {
            _ = try await client.patch(Child.self, namespace: child.metadata.namespace, name: child.metadata.name ?? "", patch)
        } catch let error as StatusError where error.isNotFound || error.isInvalid {
            // Gone, or no longer ours.
        }
    }
}
