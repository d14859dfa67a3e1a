import Foundation
import GRPCCore
import KubeStore

extension EtcdStore {
    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        try checkOpen()
        var message = Etcdserverpb_LeaseGrantRequest()
        message.ttl = ttlSeconds
        let response = try await translate { try await lease.leaseGrant(message, options: Self.callOptions) }
        if !response.error.isEmpty { throw StoreError.backend("etcd: lease grant: \(response.error)") }
        note(response.header)
        return response.id
    }

    @discardableResult
    public func revokeLease(_ id: LeaseID) async throws -> Revision {
        try checkOpen()
        var message = Etcdserverpb_LeaseRevokeRequest()
        message.id = id
        let response = try await translate(leases: [id]) {
            try await lease.leaseRevoke(message, options: Self.callOptions)
        }
        note(response.header)
        return response.header.revision
    }

    /// One round trip on a `LeaseKeepAlive` stream. etcd answers an unknown lease with TTL 0.
    @discardableResult
    public func keepAliveLease(_ id: LeaseID) async throws -> Int64 {
        try checkOpen()
        var request = Etcdserverpb_LeaseKeepAliveRequest()
        request.id = id
        let message = request
        let ttl: Int64? = try await translate(leases: [id]) {
            try await lease.leaseKeepAlive(
                options: Self.callOptions,
                requestProducer: { writer in try await writer.write(message) },
                onResponse: { response in
                    for try await reply in response.messages where reply.id == id { return reply.ttl }
                    return nil
                })
        }
        guard let ttl, ttl > 0 else { throw StoreError.leaseNotFound(id) }
        return ttl
    }

    /// The lease's remaining TTL in seconds, `-1` if etcd does not know it.
    public func timeToLive(_ id: LeaseID) async throws -> Int64 {
        try checkOpen()
        var message = Etcdserverpb_LeaseTimeToLiveRequest()
        message.id = id
        do {
            let response = try await lease.leaseTimeToLive(message, options: Self.callOptions)
            return response.ttl
        } catch let error as RPCError where EtcdErrors.isLeaseNotFound(error) {
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
