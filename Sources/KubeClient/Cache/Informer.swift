import KubeModel
import Synchronization

/// A shared informer (client-go's `SharedIndexInformer` with its `Reflector`): lists the
/// resource, then watches from the list's resourceVersion with bookmarks, keeping an
/// ``Indexer`` current and telling the registered ``EventHandler``s about every change.
///
/// - A watch the server ends (its timeout) is resumed from the last resourceVersion seen;
///   an event or error of 410 Gone (the version was compacted) relists, and objects missing
///   from the new list are reported deleted.
/// - Failures back off exponentially (800 ms doubling to 30 s, as client-go) and retry.
/// - With a resync period, every cached object is re-delivered as an update that often.
///
/// ``run()`` does the work until its task is cancelled; handlers are added before it starts.
public final class Informer<Object: KubeObject>: Sendable {
    public let indexer: Indexer<Object>
    public var lister: Lister<Object> { Lister(indexer) }
    let source: any ListerWatcher<Object>
    let resyncPeriod: Duration?
    /// Upper bounds of the server-side watch timeout (randomised between them, as client-go).
    let watchTimeout: ClosedRange<Int>

    private struct State {
        var handlers: [EventHandler<Object>] = []
        var synced = false
        var lastResourceVersion = ""
    }
    private let state = Mutex(State())
    private let syncSignal = ChangeSignal()

    public init(source: some ListerWatcher<Object>, indexes: [String: Indexer<Object>.IndexFunction] = [:],
                resyncPeriod: Duration? = nil, watchTimeoutSeconds: ClosedRange<Int> = 300...600) {
        self.source = source
        indexer = Indexer(indexes: indexes)
        self.resyncPeriod = resyncPeriod
        watchTimeout = watchTimeoutSeconds
    }

    public func addEventHandler(_ handler: EventHandler<Object>) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// True once the first list has been stored (client-go's `HasSynced`).
    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// The resourceVersion of the last list, event or bookmark.
    public var lastSyncResourceVersion: String { state.withLock { $0.lastResourceVersion } }

    /// Returns once the informer has synced (or the task is cancelled).
    public func waitForSync() async {
        while !Task.isCancelled {
            let seen = syncSignal.generation
            if hasSynced { return }
            await syncSignal.wait(after: seen, until: nil)
        }
    }

    /// Lists, watches and resyncs until the task is cancelled (then returns normally).
    public func run() async throws {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let resyncPeriod {
                    group.addTask { try await self.resyncLoop(every: resyncPeriod) }
                }
                group.addTask { try await self.reflect() }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
            return
        }
    }

    // MARK: - Reflector

    private func reflect() async throws {
        var backoff = Backoff()
        var needsList = true
        while !Task.isCancelled {
            do {
                if needsList {
                    try await listAndReplace()
                    needsList = false
                }
                let started = ContinuousClock.now
                let (relist, events) = try await watchOnce()
                needsList = relist
                // A watch that ends at once with nothing in it is a failure in disguise (client-go
                // treats very short watches the same way): back off instead of spinning.
                if events == 0, !relist, ContinuousClock.now - started < .seconds(1) {
                    try await Task.sleep(for: backoff.next())
                } else {
                    backoff.reset()
                }
            } catch let error as StatusError where error.isGone {
                needsList = true
            } catch is CancellationError {
                return
            } catch {
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Lists every page (consistent read) and replaces the cache, reporting the differences.
    private func listAndReplace() async throws {
        var objects: [Object] = []
        let resourceVersion = try await source.listPages(ListOptions(resourceVersion: "", limit: 500)) { objects += $0 }
        let previous = Dictionary(indexer.objects.map { (Indexer<Object>.key(of: $0), $0) }) { first, _ in first }
        indexer.replace(with: objects)
        let handlers = state.withLock { state -> [EventHandler<Object>] in
            state.lastResourceVersion = resourceVersion
            state.synced = true
            return state.handlers
        }
        var listed = Set<String>()
        for object in objects {
            let key = Indexer<Object>.key(of: object)
            listed.insert(key)
            if let old = previous[key] {
                handlers.forEach { $0.onUpdate(old, object) }
            } else {
                handlers.forEach { $0.onAdd(object) }
            }
        }
        for (key, old) in previous where !listed.contains(key) {
            handlers.forEach { $0.onDelete(old) }
        }
        syncSignal.notify()
    }

    /// One watch from the last resourceVersion: whether the cache must be relisted, and how
    /// many events came.
    private func watchOnce() async throws -> (relist: Bool, events: Int) {
        let options = ListOptions(
            resourceVersion: lastSyncResourceVersion, timeoutSeconds: Int.random(in: watchTimeout),
            allowWatchBookmarks: true)
        var gone = false
        var count = 0
        try await source.watch(options) { events in
            for try await event in events {
                count += 1
                switch event {
                case .added(let object), .modified(let object):
                    store(object)
                case .deleted(let object):
                    let key = Indexer<Object>.key(of: object)
                    let last = indexer.object(forKey: key) ?? object
                    indexer.delete(key: key)
                    record(object.metadata.resourceVersion)
                    handlers().forEach { $0.onDelete(last) }
                case .bookmark(let resourceVersion):
                    record(resourceVersion)
                case .error(let status):
                    if status.isGone {
                        gone = true
                        return
                    }
                    throw status
                }
            }
        }
        return (gone, count)
    }

    private func store(_ object: Object) {
        let old = indexer.object(forKey: Indexer<Object>.key(of: object))
        indexer.upsert(object)
        record(object.metadata.resourceVersion)
        if let old {
            handlers().forEach { $0.onUpdate(old, object) }
        } else {
            handlers().forEach { $0.onAdd(object) }
        }
    }

    private func record(_ resourceVersion: String?) {
        guard let resourceVersion, !resourceVersion.isEmpty else { return }
        state.withLock { $0.lastResourceVersion = resourceVersion }
    }

    private func handlers() -> [EventHandler<Object>] { state.withLock { $0.handlers } }

    private func resyncLoop(every period: Duration) async throws {
        while true {
            try await Task.sleep(for: period)
            let handlers = handlers()
            for object in indexer.objects { handlers.forEach { $0.onUpdate(object, object) } }
        }
    }

    /// client-go's reflector backoff: 800 ms doubling to 30 s.
    struct Backoff {
        private var current: Duration = .milliseconds(800)

        mutating func next() -> Duration {
            defer { current = min(current * 2, .seconds(30)) }
            return current
        }

        mutating func reset() { current = .milliseconds(800) }
    }
}
