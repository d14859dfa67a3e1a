import Foundation
import KubeStore
import KubeStoreEtcd
import Testing

/// What differs on etcd: lease expiry is etcd's own job (no fake clock), so revocation is checked
/// instead, plus `timeToLive`. Every other semantic check runs against etcd from
/// Tests/KubeStoreTests (the `Backend.etcd` case).
@Suite(.serialized) struct EtcdLeaseTests {
    @Test func leaseRevocationDeletesAttachedKeysAtOneRevision() async throws {
        try await withEtcdStore { store in
            let lease = try await store.grantLease(ttlSeconds: 10)
            let other = try await store.grantLease(ttlSeconds: 100)
            try await store.put("/l/1", b("1"), lease: lease)
            try await store.put("/l/2", b("2"), lease: lease)
            try await store.put("/l/3", b("3"), lease: other)
            try await store.put("/l/4", b("4"))
            await #expect(throws: StoreError.leaseNotFound(999)) { try await store.put("/l/5", b("5"), lease: 999) }
            await #expect(throws: StoreError.leaseNotFound(999)) {
                try await store.txn(TxnRequest(success: [.put(key: "/l/6", value: [], lease: 0), .put(key: "/l/7", value: [], lease: 999)]))
            }
            #expect(try await store.get("/l/6") == nil)
            #expect(try await store.currentRevision() == 5)
            #expect(try await store.keepAliveLease(lease) == 10)
            #expect(try await store.timeToLive(lease) > 0)
            // Expiry is etcd's job: expireLeases is a no-op.
            #expect(try await store.expireLeases(now: Date().addingTimeInterval(11)).isEmpty)
            #expect(try await store.revokeLease(lease) == 6)
            #expect(try await store.currentRevision() == 6)
            let left = try await store.range(RangeRequest(.prefix("/l/")))
            #expect(left.kvs.map(\.key) == ["/l/3", "/l/4"])
            #expect(left.kvs.first?.lease == other)
            await #expect(throws: StoreError.leaseNotFound(lease)) { try await store.keepAliveLease(lease) }
            await #expect(throws: StoreError.leaseNotFound(lease)) { try await store.put("/l/9", b("9"), lease: lease) }
            await #expect(throws: StoreError.leaseNotFound(lease)) { try await store.revokeLease(lease) }
            let empty = try await store.grantLease(ttlSeconds: 5)
            #expect(try await store.revokeLease(empty) == 6)
            #expect(try await store.revokeLease(other) == 7)
            try await store.close()
            await #expect(throws: StoreError.closed) { try await store.get("/l/4") }
        }
    }
}
