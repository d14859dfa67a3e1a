import Foundation

extension SQLiteStore {
    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        let id = status.withLock { $0.leases.allocateID() }
        _ = try await submit(.grantLease(id, ttl: ttlSeconds))
        return id
    }

    @discardableResult
    public func revokeLease(_ id: LeaseID) async throws -> Revision {
        guard case .txn(let response) = try await submit(.revokeLease(id)) else {
            throw StoreError.backend("unexpected commit result")
        }
        return response.revision
    }

    @discardableResult
    public func keepAliveLease(_ id: LeaseID) async throws -> Int64 {
        try checkOpen()
        guard let ttl = status.withLock({ $0.leases.keepAlive(id) }) else { throw StoreError.leaseNotFound(id) }
        return ttl
    }

    /// Revokes expired leases concurrently, so their deletions share group commits.
    @discardableResult
    public func expireLeases(now: Date) async throws -> [LeaseID] {
        try checkOpen()
        let expired = status.withLock { $0.leases.expired(now: now) }
        return try await withThrowingTaskGroup(of: LeaseID?.self) { group in
            for id in expired {
                group.addTask {
                    do {
                        try await self.revokeLease(id)
                        return id
                    } catch StoreError.leaseNotFound {
                        return nil
                    }
                }
            }
            var revoked: [LeaseID] = []
            for try await id in group { if let id { revoked.append(id) } }
            return revoked.sorted()
        }
    }
}
