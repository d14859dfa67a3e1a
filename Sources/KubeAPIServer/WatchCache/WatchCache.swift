import Foundation
import KubeModel
import KubeStore
import Logging
import ServiceLifecycle
import Synchronization

/// The API server's watch cache (upstream's `cacher`): one store watch over every `/registry/`
/// key keeps the latest state of every resource and a window of recent events in memory, and
/// fans each change out to all API watches of that resource. Lists with `resourceVersion` unset
/// (after catching up with the store: a consistent read) or "0" are served from it, as are
/// watches that start now or inside the event window.
///
/// Because the single store watch sees every revision, the cache knows exactly when it has caught
/// up with a store revision. If the store watch fails (compaction, overflow), the cache lists
/// again and ends every subscription; their clients re-watch, as upstream's do.
public final class WatchCache: Service, Sendable {
    public let store: any KeyValueStore
    /// Events kept for watches that resume from a past resourceVersion.
    let historyLimit: Int
    /// Events a slow watch may have waiting before it is ended.
    let subscriptionCapacity: Int
    let logger: Logger
    static let rootPrefix = "/registry/"

    struct State {
        /// The revision the cache reflects; 0 until the first list.
        var revision: Revision = 0
        /// resource prefix (`/registry/apps/deployments/`) → key → object.
        var objects: [String: [String: CachedObject]] = [:]
        var history: [CachedEvent] = []
        var historyHead = 0
        /// The history holds every event with a revision above this.
        var historyFloor: Revision = 0
        /// The revision of the last load: the history knows nothing before it.
        var loadedRevision: Revision = 0
        /// Resource prefix → the highest revision of its events trimmed from the history. The
        /// window of one resource reaches back to here (or the load), as upstream's per-resource
        /// caches do, however many events of other resources came since.
        var trimmedThrough: [String: Revision] = [:]
        var subscriptions: [Int: WatchCacheSubscription] = [:]
        /// Reads waiting for the cache to reach `revision`, given up at `deadline` by the clock.
        var waiters: [Int: (revision: Revision, deadline: ContinuousClock.Instant,
                            continuation: CheckedContinuation<Bool, Never>)] = [:]
        var nextID = 0
        /// Objects their writer handed over before the cache saw their revision.
        var offered: [String: CachedObject] = [:]
        /// Objects their writer is about to store (``expect(key:value:object:)``), by key.
        var expected: [String: (value: [UInt8], object: any KubeObject)] = [:]
    }
    /// Handed-over objects kept waiting for their event, at most (a write whose event never
    /// comes, such as one the cache starts over past, leaves its entry until the map is cleared).
    static let offeredLimit = 4096
    let state = Mutex(State())

    public init(store: any KeyValueStore, historyLimit: Int = 10_000, subscriptionCapacity: Int = 10_000,
                logger: Logger = Logger(label: "skiff.watchcache")) {
        self.store = store
        self.historyLimit = historyLimit
        self.subscriptionCapacity = subscriptionCapacity
        self.logger = logger
    }

    /// True once the first list has been loaded (`/readyz`).
    public var isReady: Bool { state.withLock { $0.revision > 0 } }

    /// The revision the cache reflects (0 before the first list).
    public var revision: Revision { state.withLock { $0.revision } }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.follow()
        }
    }

    /// How often the cache's clock ends the waits of idle watches whose deadline or bookmark
    /// came (their precision).
    static let tickInterval: Duration = .milliseconds(100)

    /// Lists, then follows the store from the next revision (starting over when the store watch
    /// fails), while the cache's clock runs; returns when the store closes or the task is cancelled.
    func follow() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.followStore() }
            group.addTask { await self.runClock() }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func followStore() async throws {
        while !Task.isCancelled {
            do {
                let snapshot = try await store.range(RangeRequest(.prefix(Self.rootPrefix)))
                load(snapshot)
                let stream = try store.watch(.prefix(Self.rootPrefix), from: snapshot.revision + 1, prevKV: true)
                for try await event in stream { apply(event) }
                return  // the store closed or the task was cancelled
            } catch StoreError.closed {
                return
            } catch let error as StoreError {
                logger.warning("watch cache starts over: \(error)")
                continue
            } catch is CancellationError {
                return
            }
        }
    }

    /// The cache's clock: every ``tickInterval``, resumes the watches waiting until now and
    /// gives up the waits for a revision whose deadline passed.
    private func runClock() async {
        while true {
            do {
                try await Task.sleep(for: Self.tickInterval)
            } catch {
                return
            }
            let now = ContinuousClock.now
            let (subscriptions, expired) = state.withLock { state in
                var expired: [CheckedContinuation<Bool, Never>] = []
                for (id, waiter) in state.waiters where waiter.deadline <= now {
                    expired.append(waiter.continuation)
                    state.waiters[id] = nil
                }
                return (Array(state.subscriptions.values), expired)
            }
            for subscription in subscriptions { subscription.tick(now) }
            for waiter in expired { waiter.resume(returning: false) }
        }
    }

    /// The resource prefix of a key: `/registry/apps/deployments/ns/x` → `/registry/apps/deployments/`.
    static func resourcePrefix(of key: String) -> String? {
        var slashes = 0
        for index in key.utf8.indices where key.utf8[index] == UInt8(ascii: "/") {
            slashes += 1
            if slashes == 4 { return String(key[...index]) }
        }
        return nil
    }

    private func load(_ snapshot: RangeResponse) {
        var objects: [String: [String: CachedObject]] = [:]
        for kv in snapshot.kvs {
            guard let prefix = Self.resourcePrefix(of: kv.key) else { continue }
            objects[prefix, default: [:]][kv.key] = CachedObject(kv)
        }
        let (ended, woken) = state.withLock { state in
            let ended = Array(state.subscriptions.values)
            state.subscriptions = [:]
            state.objects = objects
            state.revision = snapshot.revision
            state.history = []
            state.historyHead = 0
            state.historyFloor = snapshot.revision
            state.loadedRevision = snapshot.revision
            state.trimmedThrough = [:]
            state.offered = [:]
            state.expected = [:]
            return (ended, Self.takeWaiters(&state))
        }
        for subscription in ended { subscription.end() }
        for waiter in woken { waiter.resume(returning: true) }
    }

    private func apply(_ event: WatchEvent) {
        let key = event.kv.key
        guard let prefix = Self.resourcePrefix(of: key) else { return }
        let revision = event.revision
        let (cachedEvent, subscriptions, woken) = state.withLock { state in
            let old = state.objects[prefix]?[key]
            // The cached copy of the previous version, when it is the one the store reports,
            // brings the selectable fields already read from it.
            let base: CachedObject? = if let old, event.prevKV.map({ $0.modRevision == old.revision }) ?? true {
                old
            } else {
                event.prevKV.map(CachedObject.init)
            }
            let previous = base?.reported(at: revision)
            let cached: CachedEvent
            switch event.type {
            case .put:
                var current = CachedObject(event.kv)
                var handedOver = false
                if let offered = state.offered[key], offered.revision <= event.kv.modRevision {
                    state.offered[key] = nil
                    if offered.revision == event.kv.modRevision && offered.value == event.kv.value {
                        current = offered
                        handedOver = true
                    }
                }
                if let expected = state.expected.removeValue(forKey: key), !handedOver, expected.value == event.kv.value {
                    var object = expected.object
                    object.metadata.resourceVersion = String(event.kv.modRevision)
                    current.adopt(object)
                }
                state.objects[prefix, default: [:]][key] = current
                cached = CachedEvent(kind: .put, key: key, revision: revision, current: current, previous: previous)
            case .delete:
                state.objects[prefix]?[key] = nil
                cached = CachedEvent(kind: .delete, key: key, revision: revision, current: nil, previous: previous)
            }
            state.revision = max(state.revision, revision)
            state.history.append(cached)
            trimHistory(&state)
            return (cached, Array(state.subscriptions), Self.takeWaiters(&state))
        }
        var dropped: [Int] = []
        for (id, subscription) in subscriptions {
            switch subscription.push(cachedEvent) {
            case .open:
                continue
            case .overflowed:
                logger.warning("watch ended: its client fell \(subscriptionCapacity) events behind", metadata: [
                    "prefix": "\(subscription.prefix)", "revision": "\(cachedEvent.revision)"])
            case .ended:
                break
            }
            dropped.append(id)
        }
        if !dropped.isEmpty {
            state.withLock { state in for id in dropped { state.subscriptions[id] = nil } }
        }
        for waiter in woken { waiter.resume(returning: true) }
    }

    /// The writer of an object announces, before it stores them, the bytes it will store and
    /// the decoded object they were encoded from (without its `resourceVersion`): the store
    /// publishes the write's event before the writer hears back, so watchers may test the
    /// object (field selectors) before ``offer(_:)`` comes. When the event brings these bytes,
    /// the cached object takes the decoded object at once. A write that fails leaves its entry
    /// until the key's next event (or the map is cleared, at ``offeredLimit`` entries).
    func expect(key: String, value: [UInt8], object: any KubeObject) {
        state.withLock { state in
            if state.expected.count >= Self.offeredLimit { state.expected = [:] }
            state.expected[key] = (value, object)
        }
    }

    /// The writer of an object hands over what it stored (its bytes, revision and the decoded
    /// object they were encoded from, see ``CachedObject/adopt(_:)``), so the cache holds that
    /// instead of decoding the bytes again: neither the next update of the object, nor a watch,
    /// nor the writer's own response decodes or splices anything twice.
    func offer(_ written: CachedObject) {
        let key = written.key
        guard let prefix = Self.resourcePrefix(of: key) else { return }
        state.withLock { state in
            if let cached = state.objects[prefix]?[key], cached.revision >= written.revision {
                // The event came first: share the decoded object with the cached copy.
                if cached.revision == written.revision, let object = written.decodedObject { cached.adopt(object) }
                return
            }
            guard state.revision < written.revision else { return }  // its event came and went
            if state.offered.count >= Self.offeredLimit { state.offered = [:] }
            state.offered[key] = written
        }
    }

    /// Drops the oldest events beyond the limit, whole revisions at a time.
    private func trimHistory(_ state: inout State) {
        guard state.history.count - state.historyHead > historyLimit else { return }
        var cut = state.historyHead + (state.history.count - state.historyHead - historyLimit)
        let floor = state.history[cut - 1].revision
        while cut < state.history.count && state.history[cut].revision == floor { cut += 1 }
        for event in state.history[state.historyHead..<cut] {
            if let prefix = Self.resourcePrefix(of: event.key) { state.trimmedThrough[prefix] = event.revision }
        }
        state.historyHead = cut
        state.historyFloor = floor
        if state.historyHead >= 1024 && state.historyHead * 2 >= state.history.count {
            state.history.removeFirst(state.historyHead)
            state.historyHead = 0
        }
    }

    private static func takeWaiters(_ state: inout State) -> [CheckedContinuation<Bool, Never>] {
        var woken: [CheckedContinuation<Bool, Never>] = []
        for (id, waiter) in state.waiters where waiter.revision <= state.revision {
            woken.append(waiter.continuation)
            state.waiters[id] = nil
        }
        return woken
    }
}
