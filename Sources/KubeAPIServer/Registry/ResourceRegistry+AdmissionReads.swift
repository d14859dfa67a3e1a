import KubeModel
import KubeStore

/// What admission reads besides the object written: the namespace, its LimitRanges and
/// ResourceQuotas, PriorityClasses. Upstream's admission plugins read these from informers'
/// listers; Skiff reads them from the watch cache once it has caught up with the store's
/// current revision (so a LimitRange or quota written just before is always seen), else from
/// the store. Every pod create makes these reads, so they must not cost a store round trip.
extension ResourceRegistry {
    /// The watch cache when it reflects every write committed so far (waiting for it at most
    /// ``cacheWaitLimit``); nil when the store must answer.
    func caughtUpCache() async throws -> WatchCache? {
        guard let cache = watchCache, cache.isReady else { return nil }
        let current = try await store.currentRevision()
        guard await cache.waitUntil(current, timeout: cacheWaitLimit) else { return nil }
        return cache
    }

    /// The objects under `prefix` in key order, from the caught-up cache or else the store
    /// (`fromStore` forces a store read: a compare-and-swap on them just failed).
    func admissionList(prefix: String, fromStore: Bool = false) async throws -> [CachedObject] {
        if !fromStore, let cache = try await caughtUpCache(), let snapshot = cache.snapshot(prefix: prefix) {
            return snapshot.objects.sorted { $0.key < $1.key }
        }
        return try await store.range(RangeRequest(.prefix(prefix))).kvs.map(CachedObject.init)
    }

    /// The object at `key`, from the caught-up cache or else the store.
    func admissionGet(_ key: String) async throws -> CachedObject? {
        if let cache = try await caughtUpCache() { return cache.object(forKey: key) }
        return try await store.get(key).map(CachedObject.init)
    }
}
