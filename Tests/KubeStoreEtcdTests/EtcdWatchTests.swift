import Foundation
import KubeStore
import KubeStoreEtcd
import Testing

@Suite(.serialized) struct EtcdWatchTests {
    @Test func watchReplaysFromRevisionWithPrevKVThenFollowsLiveChanges() async throws {
        try await withEtcdStore { store in
            try await store.put("/w/a", b("1"))  // 2
            try await store.put("/w/a", b("2"))  // 3
            try await store.put("/other", b("x"))  // 4
            _ = try await store.txn(TxnRequest(success: [.delete(.key("/w/a")), .put(key: "/w/b", value: b("1"), lease: 0)]))  // 5
            let stream = try store.watch(.prefix("/w/"), from: 3, prevKV: true)
            let replayed = try await collect(stream, count: 3)
            #expect(replayed.map(\.revision) == [3, 5, 5])
            #expect(replayed.map(\.type) == [.put, .delete, .put])
            #expect(replayed[0].kv == KeyValue(key: "/w/a", value: b("2"), createRevision: 2, modRevision: 3, version: 2))
            #expect(replayed[0].prevKV?.value == b("1"))
            #expect(replayed[1].kv == KeyValue(key: "/w/a", value: [], createRevision: 0, modRevision: 5, version: 0))
            #expect(replayed[1].prevKV?.value == b("2"))
            #expect(replayed[2].kv.key == "/w/b" && replayed[2].prevKV == nil)

            let live = try store.watch(.key("/w/b"), from: 0, prevKV: false)
            try await store.put("/w/b", b("2"))  // 6
            let next = try await collect(live, count: 1)
            #expect(next.map(\.revision) == [6])
            #expect(next.first?.prevKV == nil && next.first?.kv.version == 2)
        }
    }

    @Test func watchAtOrBelowCompactionEndsWithCompacted() async throws {
        try await withEtcdStore { store in
            for i in 0..<5 { try await store.put("/c/\(i)", b("\(i)")) }  // 2...6
            try await store.compact(4)
            // A second client does not know about the compaction: etcd must report it.
            try await EtcdStore.withStore(endpoint: store.endpoint) { fresh in
                await #expect(throws: StoreError.compacted(4)) {
                    for try await _ in try fresh.watch(.prefix("/c/"), from: 4, prevKV: false) {}
                }
                let events = try await collect(try fresh.watch(.prefix("/c/"), from: 5, prevKV: false), count: 2)
                #expect(events.map(\.revision) == [5, 6])
            }
        }
    }

    @Test func cancellingTheConsumerEndsTheWatchAndCloseEndsOthers() async throws {
        try await withEtcdStore { store in
            let cancelled = try store.watch(.prefix("/x/"), from: 0, prevKV: false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for try await _ in cancelled {} }
                group.cancelAll()
                try await group.waitForAll()
            }
            let open = try store.watch(.prefix("/x/"), from: 0, prevKV: false)
            try await store.close()
            await #expect(throws: StoreError.closed) { for try await _ in open {} }
            #expect(throws: StoreError.closed) { _ = try store.watch(.prefix("/"), from: 0, prevKV: false) }
        }
    }

    /// etcd (grpc-go) sends a BDP PING per request; swift-nio-http2 alone would close the
    /// connection after 200 of them (see ServerPingResponder).
    @Test func manySequentialRequestsOnOneConnection() async throws {
        try await withEtcdStore { store in
            for i in 0..<600 { try await store.put("/seq/\(i % 10)", b("\(i)")) }
            #expect(try await store.currentRevision() == 601)
        }
    }

    @Test func largeRangesExceedGRPCDefaultMessageSize() async throws {
        try await withEtcdStore { store in
            let value = [UInt8](repeating: 0x61, count: 64 * 1024)
            for batch in 0..<10 {
                _ = try await store.txn(TxnRequest(success: (0..<10).map {
                    .put(key: "/big/\(batch)/\($0)", value: value, lease: 0)
                }))
            }
            let all = try await store.range(RangeRequest(.prefix("/big/")))
            #expect(all.count == 100 && all.kvs.allSatisfy { $0.value.count == value.count })
        }
    }
}
