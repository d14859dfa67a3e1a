import Foundation
import KubeStore

/// Store leases for objects that expire (Events, after `ttl`), shared by the writes of a short
/// window as upstream's lease manager does: one lease per minute instead of one per object, each
/// granted for the TTL plus that window so no object lives less than its TTL.
actor LeaseCache {
    let ttlSeconds: Int64
    let reuseWindowSeconds: Int64
    private var current: (id: LeaseID, granted: Date)?

    init(ttlSeconds: Int64 = 3600, reuseWindowSeconds: Int64 = 60) {
        self.ttlSeconds = ttlSeconds
        self.reuseWindowSeconds = reuseWindowSeconds
    }

    func lease(in store: any KeyValueStore, now: Date = Date()) async throws -> LeaseID {
        if let current, now.timeIntervalSince(current.granted) < Double(reuseWindowSeconds) { return current.id }
        let id = try await store.grantLease(ttlSeconds: ttlSeconds + reuseWindowSeconds)
        current = (id, now)
        return id
    }

    /// Forgets the cached lease (after the store reported it unknown, e.g. expired or revoked).
    func invalidate() { current = nil }
}
