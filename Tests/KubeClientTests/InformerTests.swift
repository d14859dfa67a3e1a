import KubeModel
import Synchronization
import Testing

@testable import KubeClient

/// A scripted API: each list and each watch takes the next step of its script; once a watch
/// script runs out, the watch stays open (as an idle one does) until cancelled.
final class ScriptedListerWatcher: ListerWatcher, Sendable {
    typealias Object = CoreV1.ConfigMap

    enum WatchStep: Sendable {
        case events([WatchEvent<CoreV1.ConfigMap>])
        case gone
    }

    private let lists: Mutex<[ObjectList<CoreV1.ConfigMap>]>
    private let watches: Mutex<[WatchStep]>
    let watchedFrom = Mutex<[String]>([])

    init(lists: [ObjectList<CoreV1.ConfigMap>], watches: [WatchStep]) {
        self.lists = Mutex(lists)
        self.watches = Mutex(watches)
    }

    /// The `continue` token and resourceVersion of each list call.
    let listedWith = Mutex<[(continueToken: String?, resourceVersion: String?)]>([])

    func list(_ options: ListOptions) async throws -> ObjectList<CoreV1.ConfigMap> {
        listedWith.withLock { $0.append((options.continueToken, options.resourceVersion)) }
        guard let next = lists.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
            throw StatusError(code: 500, body: Array("no more lists".utf8))
        }
        return next
    }

    func watch(_ options: ListOptions, _ body: (any AsyncSequence<WatchEvent<CoreV1.ConfigMap>, any Error>) async throws -> Void) async throws {
        watchedFrom.withLock { $0.append(options.resourceVersion ?? "") }
        switch watches.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
        case .events(let events)?:
            try await body(AsyncThrowingStream { continuation in
                events.forEach { continuation.yield($0) }
                continuation.finish()
            })
        case .gone?:
            var status = MetaV1.Status()
            status.code = 410
            status.reason = "Expired"
            throw StatusError(status: status)
        case nil:
            let (idle, _) = AsyncThrowingStream<WatchEvent<CoreV1.ConfigMap>, any Error>.makeStream()
            try await body(idle)
        }
    }
}

@Suite struct InformerTests {
    static func map(_ name: String, _ version: Int, value: String = "") -> CoreV1.ConfigMap {
        var map = CoreV1.ConfigMap()
        map.metadata.name = name
        map.metadata.namespace = "default"
        map.metadata.resourceVersion = String(version)
        map.data = ["v": value]
        return map
    }

    static func list(_ version: Int, _ items: [CoreV1.ConfigMap]) -> ObjectList<CoreV1.ConfigMap> {
        var metadata = MetaV1.ListMeta()
        metadata.resourceVersion = String(version)
        return ObjectList(metadata: metadata, items: items)
    }

    /// `listPages` follows the `continue` tokens, sends the resourceVersion with the first page
    /// only, and returns the first page's version.
    @Test func listPagesFollowsContinueTokens() async throws {
        var first = Self.list(7, [Self.map("a", 5), Self.map("b", 6)])
        first.metadata.continue = "next"
        let source = ScriptedListerWatcher(lists: [first, Self.list(8, [Self.map("c", 7)])], watches: [])
        var names: [String] = []
        let version = try await source.listPages(ListOptions(resourceVersion: "", limit: 2)) { items in
            names += items.compactMap(\.metadata.name)
        }
        #expect(names == ["a", "b", "c"])
        #expect(version == "7")
        let calls = source.listedWith.withLock { $0 }
        #expect(calls.map(\.continueToken) == [nil, "next"])
        #expect(calls.map(\.resourceVersion) == ["", nil])
    }

    /// Runs `informer` while `expected` handler calls arrive, then stops it; returns the calls.
    static func record(_ informer: Informer<CoreV1.ConfigMap>, expected: Int) async throws -> [String] {
        let (calls, continuation) = AsyncStream<String>.makeStream()
        informer.addEventHandler(EventHandler(
            onAdd: { continuation.yield("add \($0.metadata.name!) \($0.data?["v"] ?? "")") },
            onUpdate: { old, new in continuation.yield("update \(new.metadata.name!) \(old.data?["v"] ?? "")→\(new.data?["v"] ?? "")") },
            onDelete: { continuation.yield("delete \($0.metadata.name!) \($0.data?["v"] ?? "")") }))
        return try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask { try await informer.run(); return nil }
            group.addTask { await Array(calls.prefix(expected).reduce(into: []) { $0.append($1) }) }
            var result: [String] = []
            while let next = try await group.next() {
                if let next {
                    result = next
                    group.cancelAll()
                }
            }
            return result
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func listsWatchesAndRelistsWhenTheVersionIsGone() async throws {
        let source = ScriptedListerWatcher(
            lists: [
                Self.list(10, [Self.map("a", 3, value: "1"), Self.map("b", 5, value: "1")]),
                // After the 410: a changed, c gone, d new.
                Self.list(20, [Self.map("a", 18, value: "3"), Self.map("d", 19, value: "1")]),
            ],
            watches: [
                .events([
                    .added(Self.map("c", 11, value: "1")),
                    .modified(Self.map("a", 12, value: "2")),
                    .deleted(Self.map("b", 13, value: "1")),
                    .bookmark(resourceVersion: "15"),
                ]),
                .gone,
            ])
        let informer = Informer(source: source)
        let calls = try await Self.record(informer, expected: 8)
        #expect(calls == [
            "add a 1", "add b 1",
            "add c 1", "update a 1→2", "delete b 1",
            "update a 2→3", "add d 1", "delete c 1",
        ])
        #expect(informer.hasSynced)
        #expect(informer.lister.list().compactMap(\.metadata.name).sorted() == ["a", "d"])
        #expect(informer.lister.get(namespace: "default", name: "a")?.data == ["v": "3"])
        // Watched from the list, resumed from the bookmark, then from the relist.
        #expect(source.watchedFrom.withLock { $0 } == ["10", "15", "20"])
    }

    @Test(.timeLimit(.minutes(1)))
    func resyncRedeliversEveryObjectAsAnUpdate() async throws {
        let source = ScriptedListerWatcher(lists: [Self.list(4, [Self.map("a", 2, value: "1")])], watches: [])
        let informer = Informer(source: source, resyncPeriod: .milliseconds(10))
        let calls = try await Self.record(informer, expected: 3)
        #expect(calls == ["add a 1", "update a 1→1", "update a 1→1"])
    }

    @Test func waitForSyncReturnsOnceListed() async throws {
        let source = ScriptedListerWatcher(lists: [Self.list(4, [Self.map("a", 2)])], watches: [])
        let informer = Informer(source: source)
        #expect(!informer.hasSynced)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await informer.run() }
            await informer.waitForSync()
            #expect(informer.hasSynced && informer.indexer.count == 1)
            group.cancelAll()
        }
    }
}
