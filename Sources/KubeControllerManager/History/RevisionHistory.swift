import KubeClient
import KubeModel

/// An owner's ControllerRevisions read from the shared cache and written through the client
/// (upstream's `history.Interface` and its real implementation).
public struct RevisionHistory: Sendable {
    let client: any ObjectClient
    let revisions: Lister<AppsV1.ControllerRevision>

    public init(client: any ObjectClient, revisions: Lister<AppsV1.ControllerRevision>) {
        self.client = client
        self.revisions = revisions
    }

    /// The revisions in the owner's namespace matching `selector` that the owner controls or nobody does.
    public func list<Owner: KubeObject>(for owner: Owner, selector: Labels.Selector) -> [AppsV1.ControllerRevision] {
        revisions.list(namespace: owner.metadata.namespace ?? "", selector).filter { revision in
            guard let reference = OwnerReferences.controller(of: revision) else { return true }
            return reference.uid == owner.metadata.uid
        }
    }

    /// Creates `revision`, renaming it with a bumped `collisionCount` while its name is taken
    /// by a revision with other data; a taken name with the same data is that revision.
    public func create<Owner: KubeObject>(
        _ revision: AppsV1.ControllerRevision, for owner: Owner, collisionCount: inout Int32
    ) async throws -> AppsV1.ControllerRevision {
        var candidate = revision
        candidate.metadata.namespace = owner.metadata.namespace
        while true {
            let hash = ControllerHistory.hash(data: revision.data, probe: collisionCount)
            candidate.metadata.name = ControllerHistory.revisionName(prefix: owner.metadata.name ?? "", hash: hash)
            do {
                return try await client.create(candidate)
            } catch let error as StatusError where error.isAlreadyExists {
                let existing = try await client.get(AppsV1.ControllerRevision.self, namespace: owner.metadata.namespace,
                                                    name: candidate.metadata.name ?? "")
                if (existing.data ?? .null) == (candidate.data ?? .null) { return existing }
                collisionCount += 1
            }
        }
    }

    /// Sets the revision number of `revision` (a rollback to an earlier template).
    public func updateRevision(_ revision: AppsV1.ControllerRevision, to number: Int64) async throws -> AppsV1.ControllerRevision {
        if revision.revision == number { return revision }
        var current = revision
        for attempt in 0..<5 {
            current.revision = number
            do {
                return try await client.update(current)
            } catch let error as StatusError where error.isConflict && attempt < 4 {
                current = try await client.get(AppsV1.ControllerRevision.self, namespace: revision.metadata.namespace,
                                               name: revision.metadata.name ?? "")
                if current.revision == number { return current }
            }
        }
        return current
    }

    public func delete(_ revision: AppsV1.ControllerRevision) async throws {
        do {
            try await client.delete(AppsV1.ControllerRevision.self, namespace: revision.metadata.namespace,
                                    name: revision.metadata.name ?? "", DeleteOptions())
        } catch let error as StatusError where error.isNotFound {}
    }

    /// Adopts and releases revisions as pods are (by selector and controller reference).
    public func claim<Owner: KubeObject>(
        _ candidates: [AppsV1.ControllerRevision], owner: Owner, selector: Labels.Selector
    ) async throws -> [AppsV1.ControllerRevision] {
        let manager = ControllerRefManager(owner: owner, client: client)
        let (claimed, errors) = await manager.claim(candidates) { selector.matches($0.metadata.labels ?? [:]) }
        if let first = errors.first { throw first }
        return claimed
    }
}
