import Foundation
import KubeStore
import Testing

@Suite struct KVSemanticsTests {
    @Test(arguments: Backend.allCases)
    func revisionNumberingFollowsEtcd(_ backend: Backend) async throws {
        try await backend.withStore { store in
            #expect(try await store.currentRevision() == 1)
            let first = try await store.put("/a", b("1"))
            #expect(first.revision == 2)
            #expect(first.prevKV == nil)
            let second = try await store.put("/a", b("2"))
            #expect(second.revision == 3)
            #expect(second.prevKV?.value == b("1"))
            let kv = try #require(try await store.get("/a"))
            #expect(kv == KeyValue(key: "/a", value: b("2"), createRevision: 2, modRevision: 3, version: 2))
            // Read-only txn, a failed compare with empty failure branch, and a no-op delete don't bump.
            _ = try await store.txn(TxnRequest(success: [.range(RangeRequest(.prefix("/")))]))
            _ = try await store.txn(TxnRequest(compares: [Compare(key: "/a", .version(9))], success: [.put(key: "/a", value: [], lease: 0)]))
            let noop = try await store.delete(.key("/missing"))
            #expect(noop.revision == 3 && noop.deleted.isEmpty)
            #expect(try await store.currentRevision() == 3)
            // A multi-op txn shares one revision.
            let multi = try await store.txn(TxnRequest(success: [
                .put(key: "/b", value: b("x"), lease: 0), .put(key: "/c", value: b("y"), lease: 0), .delete(.key("/a")),
            ]))
            #expect(multi.revision == 4)
            let all = try await store.range(RangeRequest(.prefix("/")))
            #expect(all.kvs.map(\.modRevision) == [4, 4])
            #expect(all.revision == 4)
            try await store.close()
        }
    }

    @Test(arguments: Backend.allCases)
    func versionResetsAfterDelete(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.put("/k", b("1"))
            try await store.put("/k", b("2"))
            let deleted = try await store.delete(.key("/k"))
            #expect(deleted.deleted.map(\.version) == [2])
            #expect(try await store.get("/k") == nil)
            let recreated = try await store.put("/k", b("3"))
            let kv = try #require(try await store.get("/k"))
            #expect(kv.version == 1)
            #expect(kv.createRevision == recreated.revision)
            try await store.close()
        }
    }

    @Test(arguments: Backend.allCases)
    func txnCompareOnMissingKey(_ backend: Backend) async throws {
        try await backend.withStore { store in
            for (target, expected) in [
                (Compare.Target.version(0), true), (.createRevision(0), true), (.modRevision(0), true), (.value([]), false),
            ] {
                let r = try await store.txn(TxnRequest(compares: [Compare(key: "/nope", target)]))
                #expect(r.succeeded == expected, "\(target)")
            }
            let created = try await store.create("/x", b("v"))
            #expect(created.succeeded && created.revision == 2)
            let again = try await store.create("/x", b("w"))
            #expect(!again.succeeded && again.existing?.value == b("v") && again.revision == 2)
            let cas = try await store.update("/x", b("w"), expectedModRevision: 1)
            #expect(!cas.succeeded && cas.current?.modRevision == 2)
            let ok = try await store.update("/x", b("w"), expectedModRevision: 2)
            #expect(ok.succeeded && ok.revision == 3)
            let badDelete = try await store.deleteIfModRevision("/x", expectedModRevision: 2)
            #expect(!badDelete.succeeded && badDelete.kv?.value == b("w"))
            let goodDelete = try await store.deleteIfModRevision("/x", expectedModRevision: 3)
            #expect(goodDelete.succeeded && goodDelete.revision == 4 && goodDelete.kv?.value == b("w"))
            // Ops in a txn see earlier ops' writes; less/greater compares.
            let r = try await store.txn(TxnRequest(
                compares: [Compare(key: "/x", .version(1), .less)],
                success: [.put(key: "/y", value: b("1"), lease: 0), .range(RangeRequest(.key("/y")))]))
            guard case .range(let read)? = r.results.last else { Issue.record("no range result"); return }
            #expect(read.kvs.first?.modRevision == 5)
            try await store.close()
        }
    }

    @Test(arguments: Backend.allCases)
    func rangeLimitCountMoreAndPastRevisions(_ backend: Backend) async throws {
        try await backend.withStore { store in
            for i in 0..<10 { try await store.put("/r/\(i)", b("v\(i)")) }
            try await store.put("/other", b("o"))
            let limited = try await store.range(RangeRequest(.prefix("/r/"), limit: 3))
            #expect(limited.kvs.map(\.key) == ["/r/0", "/r/1", "/r/2"])
            #expect(limited.count == 10 && limited.more)
            let all = try await store.range(RangeRequest(.prefix("/r/"), limit: 10))
            #expect(all.count == 10 && !all.more)
            let count = try await store.range(RangeRequest(.prefix("/r/"), countOnly: true))
            #expect(count.count == 10 && count.kvs.isEmpty)
            let keys = try await store.range(RangeRequest(.interval(from: "/r/3", to: "/r/6"), keysOnly: true))
            #expect(keys.kvs.map(\.key) == ["/r/3", "/r/4", "/r/5"] && keys.kvs.allSatisfy { $0.value.isEmpty })
            let open = try await store.range(RangeRequest(.interval(from: "/r/8", to: nil)))
            #expect(open.kvs.map(\.key) == ["/r/8", "/r/9"])
            // Past revisions.
            try await store.put("/r/0", b("changed"))
            try await store.delete(.key("/r/1"))
            let past = try await store.range(RangeRequest(.prefix("/r/"), revision: 5))
            #expect(past.kvs.map(\.key) == ["/r/0", "/r/1", "/r/2", "/r/3"])
            #expect(past.kvs[0].value == b("v0"))
            #expect(past.revision == 14)
            let pastLimited = try await store.range(RangeRequest(.prefix("/r/"), revision: 13, limit: 2))
            #expect(pastLimited.kvs.map(\.key) == ["/r/0", "/r/1"] && pastLimited.count == 10 && pastLimited.more)
            await #expect(throws: StoreError.futureRevision(14)) {
                try await store.range(RangeRequest(.prefix("/r/"), revision: 15))
            }
            try await store.close()
        }
    }

    @Test(arguments: Backend.allCases)
    func compactionKeepsLatestVersionAndRejectsOlderReads(_ backend: Backend) async throws {
        try await backend.withStore { store in
            #expect(try await store.compactedRevision() == 0)
            try await store.put("/a", b("1"))  // 2
            try await store.put("/a", b("2"))  // 3
            try await store.put("/b", b("1"))  // 4
            try await store.delete(.key("/b"))  // 5
            try await store.put("/c", b("1"))  // 6
            try await store.put("/a", b("3"))  // 7
            let before = try await store.range(RangeRequest(.prefix("/"), revision: 5))
            try await store.compact(5)
            #expect(try await store.compactedRevision() == 5)
            let after = try await store.range(RangeRequest(.prefix("/"), revision: 5))
            #expect(before == after)
            #expect(after.kvs.map(\.key) == ["/a"])
            #expect(try await store.range(RangeRequest(.prefix("/"), revision: 6)).kvs.map(\.key) == ["/a", "/c"])
            await #expect(throws: StoreError.compacted(5)) { try await store.range(RangeRequest(.key("/a"), revision: 4)) }
            await #expect(throws: StoreError.compacted(5)) { try await store.compact(5) }
            await #expect(throws: StoreError.futureRevision(7)) { try await store.compact(8) }
            #expect(throws: StoreError.compacted(5)) { _ = try store.watch(.prefix("/"), from: 5, prevKV: false) }
            try await store.compact(7)
            #expect(try await store.range(RangeRequest(.prefix("/"), revision: 7)).kvs.map(\.value) == [b("3"), b("1")])
            try await store.close()
        }
    }

    /// Lease expiry with a fake clock is Skiff's own; etcd expires leases itself (its lease
    /// checks are in KubeStoreEtcdTests).
    @Test(arguments: Backend.embedded)
    func leaseExpiryDeletesAttachedKeysAtOneRevision(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let lease = try await store.grantLease(ttlSeconds: 10)
            let other = try await store.grantLease(ttlSeconds: 100)
            try await store.put("/l/1", b("1"), lease: lease)
            try await store.put("/l/2", b("2"), lease: lease)
            try await store.put("/l/3", b("3"), lease: other)
            try await store.put("/l/4", b("4"))
            await #expect(throws: StoreError.leaseNotFound(999)) { try await store.put("/l/5", b("5"), lease: 999) }
            // A failed txn (unknown lease) has no partial effect.
            await #expect(throws: StoreError.leaseNotFound(999)) {
                try await store.txn(TxnRequest(success: [.put(key: "/l/6", value: [], lease: 0), .put(key: "/l/7", value: [], lease: 999)]))
            }
            #expect(try await store.get("/l/6") == nil)
            #expect(try await store.currentRevision() == 5)
            #expect(try await store.keepAliveLease(lease) == 10)
            #expect(try await store.expireLeases(now: Date().addingTimeInterval(5)).isEmpty)
            #expect(try await store.expireLeases(now: Date().addingTimeInterval(11)) == [lease])
            #expect(try await store.currentRevision() == 6)
            let left = try await store.range(RangeRequest(.prefix("/l/")))
            #expect(left.kvs.map(\.key) == ["/l/3", "/l/4"])
            await #expect(throws: StoreError.leaseNotFound(lease)) { try await store.keepAliveLease(lease) }
            await #expect(throws: StoreError.leaseNotFound(lease)) { try await store.put("/l/9", b("9"), lease: lease) }
            // Revoking a lease without keys doesn't bump the revision.
            let empty = try await store.grantLease(ttlSeconds: 5)
            #expect(try await store.revokeLease(empty) == 6)
            #expect(try await store.revokeLease(other) == 7)
            try await store.close()
            await #expect(throws: StoreError.closed) { try await store.get("/l/4") }
        }
    }

    @Test(arguments: Backend.allCases)
    func maintenanceLoopStopsOnCancellation(_ backend: Backend) async throws {
        try await backend.withStore(compaction: CompactionPolicy(interval: .milliseconds(1), minRetainedRevisions: 0)) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.runMaintenance() }
                group.cancelAll()
                try await group.waitForAll()
            }
            try await store.close()
        }
    }
}
