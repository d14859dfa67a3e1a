import Foundation
import GRPCTransport
import KubeStore

extension EtcdStore {
    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        try checkOpen()
        var message = EtcdRPC.LeaseGrantRequest()
        message.ttl = ttlSeconds
        let response = try await translate { try await lease.leaseGrant(message) }
        if !response.error.isEmpty { throw StoreError.backend("etcd: lease grant: \(response.error)") }
        note(response.header)
        return response.id
    }

    @discardableResult
    public func revokeLease(_ id: LeaseID) async throws -> Revision {
        try checkOpen()
        let message = EtcdRPC.LeaseRevokeRequest(id: id)
        let response = try await translate(leases: [id]) { try await lease.leaseRevoke(message) }
        return note(response.header)
    }

    /// One round trip on a `LeaseKeepAlive` stream. etcd answers an unknown lease with TTL 0.
    @discardableResult
    public func keepAliveLease(_ id: LeaseID) async throws -> Int64 {
        try checkOpen()
        let ttl: Int64? = try await translate(leases: [id]) {
            try await lease.leaseKeepAlive(EtcdRPC.LeaseKeepAliveRequest(id: id)) { responses in
                for try await reply in responses where reply.id == id { return reply.ttl }
                return nil
            }
        }
        guard let ttl, ttl > 0 else { throw StoreError.leaseNotFound(id) }
        return ttl
    }

    /// The lease's remaining TTL in seconds, `-1` if etcd does not know it.
    public func timeToLive(_ id: LeaseID) async throws -> Int64 {
        try checkOpen()
        var message = EtcdRPC.LeaseTimeToLiveRequest()
        message.id = id
        do {
            let response = try await lease.leaseTimeToLive(message)
            return response.ttl
        } catch let error as GRPCError where EtcdErrors.isLeaseNotFound(error) {
            return -1
        } catch {
            throw try translateSync(error, lease: id)
        }
    }

    /// A no-op: etcd expires leases itself (on its leader's clock).
    @discardableResult
    public func expireLeases(now: Date) async throws -> [LeaseID] {
        try checkOpen()
        return []
    }

    /// Waits for cancellation: lease expiry and (auto-)compaction are etcd's job.
    public func runMaintenance() async throws {
        try checkOpen()
        let (never, continuation) = AsyncStream<Never>.makeStream()
        // Iteration ends when the calling task is cancelled; the continuation stays alive
        // (and unfinished) until then.
        for await _ in never {}
        continuation.finish()
    }
}
