import KubeStore

extension WatchCache {
    /// The objects whose keys start with `prefix` (a resource's or a namespace's list prefix),
    /// unordered, and the revision they reflect; nil before the first list.
    func snapshot(prefix: String) -> (objects: [CachedObject], revision: Revision)? {
        guard let resourcePrefix = Self.resourcePrefix(of: prefix) else { return nil }
        return state.withLock { state in
            guard state.revision > 0 else { return nil }
            let all = state.objects[resourcePrefix] ?? [:]
            if resourcePrefix == prefix { return (Array(all.values), state.revision) }
            return (all.values.filter { $0.key.hasPrefix(prefix) }, state.revision)
        }
    }

    /// The cached version of one key (nil when absent or not loaded).
    func object(forKey key: String) -> CachedObject? {
        guard let prefix = Self.resourcePrefix(of: key) else { return nil }
        return state.withLock { $0.objects[prefix]?[key] }
    }

    /// How a cached watch starts.
    enum WatchStart {
        /// From now: every current object (to send as ADDED), then the subscription's events.
        case snapshot(objects: [CachedObject], revision: Revision, WatchSubscriptionHandle)
        /// From a past revision inside the window: these events, then the subscription's.
        case replay(events: [CachedEvent], WatchSubscriptionHandle)
        /// The revision is older than the window (the caller reads the store's history instead).
        case beforeWindow
        /// The cache has not loaded yet.
        case unavailable
    }

    /// Registers a watch of the keys under `prefix`: from now (`after == nil`) or from the first
    /// change after `after`. The snapshot or replay and the subscription are taken atomically,
    /// so nothing is missed or repeated.
    func startWatch(prefix: String, after: Revision?) -> WatchStart {
        guard let resourcePrefix = Self.resourcePrefix(of: prefix) else { return .unavailable }
        return state.withLock { state in
            guard state.revision > 0 else { return .unavailable }
            var replay: [CachedEvent] = []
            if let after {
                guard after >= state.loadedRevision, after >= state.trimmedThrough[resourcePrefix] ?? 0 else {
                    return .beforeWindow
                }
                // The first event after `after`: binary search on the revision-ordered window.
                var low = state.historyHead, high = state.history.count
                while low < high {
                    let mid = (low + high) / 2
                    if state.history[mid].revision <= after { low = mid + 1 } else { high = mid }
                }
                replay = state.history[low...].filter { $0.key.hasPrefix(prefix) }
            }
            let subscription = WatchCacheSubscription(
                prefix: prefix, capacity: subscriptionCapacity, progress: max(state.revision, after ?? 0))
            let id = state.nextID
            state.nextID += 1
            state.subscriptions[id] = subscription
            let handle = WatchSubscriptionHandle(cache: self, id: id, subscription: subscription)
            if after != nil { return .replay(events: replay, handle) }
            let all = state.objects[resourcePrefix] ?? [:]
            let objects = resourcePrefix == prefix ? Array(all.values) : all.values.filter { $0.key.hasPrefix(prefix) }
            return .snapshot(objects: objects, revision: state.revision, handle)
        }
    }

    /// Watches the cache is feeding now.
    var subscriberCount: Int { state.withLock { $0.subscriptions.count } }

    func unsubscribe(_ id: Int) {
        let subscription = state.withLock { $0.subscriptions.removeValue(forKey: id) }
        subscription?.end()
    }

    /// Waits until the cache reflects `revision` (or later). False after `timeout` (to the
    /// precision of the cache's clock, ``tickInterval``), or when the calling task is cancelled
    /// first. One continuation, no task or timer of its own: consistent reads wait here often.
    func waitUntil(_ revision: Revision, timeout: Duration) async -> Bool {
        if state.withLock({ $0.revision >= revision }) { return true }
        let deadline = ContinuousClock.now + timeout
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let reached: Bool? = state.withLock { state in
                    if state.revision >= revision { return true }
                    if Task.isCancelled { return false }
                    state.waiters[id] = (revision, deadline, continuation)
                    return nil
                }
                if let reached { continuation.resume(returning: reached) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(returning: false)
        }
    }
}

/// A registered cache watch; dropping it unregisters the subscription.
final class WatchSubscriptionHandle: Sendable {
    let cache: WatchCache
    let id: Int
    let subscription: WatchCacheSubscription

    init(cache: WatchCache, id: Int, subscription: WatchCacheSubscription) {
        self.cache = cache
        self.id = id
        self.subscription = subscription
    }

    deinit { cache.unsubscribe(id) }
}
