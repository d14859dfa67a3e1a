import KubeModel

/// Where a leader election keeps its record: one coordination.k8s.io/v1 Lease (client-go's
/// `resourcelock.LeaseLock`). `ResourceClient<CoordinationV1.Lease>` is the real one.
public protocol LeaseLock: Sendable {
    /// The lease, or nil when it does not exist.
    func lease(named name: String) async throws -> CoordinationV1.Lease?
    /// Creates the lease; throws a conflict/AlreadyExists ``StatusError`` if someone was faster.
    func createLease(_ lease: CoordinationV1.Lease) async throws -> CoordinationV1.Lease
    /// Replaces the lease at its resourceVersion; throws a 409 ``StatusError`` if it moved.
    func updateLease(_ lease: CoordinationV1.Lease) async throws -> CoordinationV1.Lease
}

extension ResourceClient: LeaseLock where Object == CoordinationV1.Lease {
    public func lease(named name: String) async throws -> CoordinationV1.Lease? {
        do {
            return try await get(name)
        } catch let error as StatusError where error.isNotFound {
            return nil
        }
    }

    public func createLease(_ lease: CoordinationV1.Lease) async throws -> CoordinationV1.Lease {
        try await create(lease, fieldManager: nil)
    }

    public func updateLease(_ lease: CoordinationV1.Lease) async throws -> CoordinationV1.Lease {
        try await update(lease, subresource: nil)
    }
}
