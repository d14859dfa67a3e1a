import Foundation
import KubeStore
import Testing

@Suite struct WatchTests {
    /// Collects events until one with revision `>= until` has been seen.
    static func collect(_ stream: WatchStream, until: Revision) async throws -> [WatchEvent] {
        var events: [WatchEvent] = []
        for try await event in stream {
            events.append(event)
            if event.revision >= until { break }
        }
        return events
    }

    static func collect(_ stream: WatchStream, count: Int) async throws -> [WatchEvent] {
        var events: [WatchEvent] = []
        for try await event in stream {
            events.append(event)
            if events.count == count { break }
        }
        return events
    }

    @Test(arguments: Backend.embedded)
    func noGapNoDuplicateWhileWritersRun(_ backend: Backend) async throws {
        let store = try backend.make()
        let writers = 4
        let perWriter = 150
        let total = Revision(writers * perWriter)
        let final = 1 + total
        let check: @Sendable (WatchStream, Revision) async throws -> Void = { stream, start in
            let events = try await Self.collect(stream, until: final)
            let revisions = events.map(\.revision)
            let first = start == 0 ? (revisions.first ?? final) : start
            #expect(revisions == Array(first...final), "watch from \(start)")
        }
        let early = try store.watch(.prefix("/w/"), from: 0, prevKV: false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await check(early, 0) }
            for w in 0..<writers {
                group.addTask {
                    var midway: WatchStream?
                    for i in 0..<perWriter {
                        try await store.put("/w/\(w)/\(i % 7)", b("\(i)"))
                        if i == perWriter / 2 {
                            // Registered mid-stream: live only, from whatever is current.
                            midway = try store.watch(.prefix("/w/"), from: 0, prevKV: false)
                        }
                    }
                    if let midway { try await check(midway, 0) }
                }
            }
            // Registered while the writes run: history, then live, meeting without gap/overlap.
            for start in [Revision(2), 50, 200, 400] {
                await Task.yield()
                let stream = try store.watch(.prefix("/w/"), from: start, prevKV: false)
                group.addTask { try await check(stream, start) }
            }
            try await group.waitForAll()
        }
        try await store.close()
    }

    @Test(arguments: Backend.embedded)
    func resumePrefixFilteringAndPrevKV(_ backend: Backend) async throws {
        let store = try backend.make()
        try await store.put("/p/a", b("1"))  // 2
        try await store.put("/q/a", b("x"))  // 3
        try await store.put("/p/a", b("2"))  // 4
        try await store.put("/p/b", b("3"))  // 5
        try await store.delete(.prefix("/p/"))  // 6
        let stream = try store.watch(.prefix("/p/"), from: 4, prevKV: true)
        let events = try await Self.collect(stream, count: 4)
        try #require(events.count == 4)
        #expect(events.map(\.type) == [.put, .put, .delete, .delete])
        #expect(events.map(\.kv.key) == ["/p/a", "/p/b", "/p/a", "/p/b"])
        #expect(events.map(\.revision) == [4, 5, 6, 6])
        #expect(events[0].prevKV?.value == b("1"))
        #expect(events[1].prevKV == nil)
        #expect(events[2].prevKV?.value == b("2") && events[2].kv.value.isEmpty)
        #expect(events[3].prevKV?.version == 1)
        // Without prevKV, single key, history then live.
        let single = try store.watch(.key("/q/a"), from: 3, prevKV: false)
        try await store.put("/q/a", b("y"))  // 7
        let got = try await Self.collect(single, until: 7)
        #expect(got.map(\.kv.value) == [b("x"), b("y")] && got.allSatisfy { $0.prevKV == nil })
        try await store.close()
    }

    @Test(arguments: Backend.embedded)
    func compactedStartFails(_ backend: Backend) async throws {
        let store = try backend.make()
        for i in 0..<5 { try await store.put("/c", b("\(i)")) }
        // Registered before compaction: catch-up notices it and ends with `.compacted`.
        let early = try store.watch(.prefix("/"), from: 2, prevKV: false)
        try await store.compact(4)
        #expect(throws: StoreError.compacted(4)) { _ = try store.watch(.prefix("/"), from: 4, prevKV: false) }
        await #expect(throws: StoreError.compacted(4)) { _ = try await Self.collect(early, until: 6) }
        let ok = try store.watch(.prefix("/"), from: 5, prevKV: false)
        #expect(try await Self.collect(ok, until: 6).map(\.revision) == [5, 6])
        try await store.close()
    }

    @Test(arguments: Backend.embedded)
    func cancellingTheConsumerFreesTheWatcher(_ backend: Backend) async throws {
        let store = try backend.make()
        let active: () -> Int = {
            (store as? InMemoryStore)?.activeWatchers ?? (store as? SQLiteStore)?.activeWatchers ?? -1
        }
        let stream = try store.watch(.prefix("/"), from: 0, prevKV: false)
        #expect(active() == 1)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for try await _ in stream {} }
            group.cancelAll()
        }
        #expect(active() == 0)
        // A stream dropped without being iterated is freed too.
        do { _ = try store.watch(.prefix("/"), from: 0, prevKV: false) }
        #expect(active() == 0)
        try await store.close()
    }

    @Test(arguments: Backend.embedded)
    func slowConsumerOverflows(_ backend: Backend) async throws {
        let store = try backend.make(watchBufferLimit: 10)
        let stream = try store.watch(.prefix("/"), from: 0, prevKV: false)
        for i in 0..<30 { try await store.put("/o/\(i)", b("x")) }
        var received = 0
        await #expect(throws: StoreError.watcherOverflow) {
            for try await _ in stream { received += 1 }
        }
        #expect(received == 10)
        try await store.close()
    }

    @Test(arguments: Backend.embedded)
    func closeEndsWatches(_ backend: Backend) async throws {
        let store = try backend.make()
        let stream = try store.watch(.prefix("/"), from: 0, prevKV: false)
        try await store.close()
        await #expect(throws: StoreError.closed) { for try await _ in stream {} }
    }
}
