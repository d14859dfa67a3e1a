import KubeModel
import KubeStore

/// The stored state an update starts from. Like upstream's `GuaranteedUpdate`, which starts
/// from the watch cache's copy of the object, an update first tries the cache's copy and lets
/// the store's compare-and-swap on the modRevision tell whether it was current. When it was
/// not, when anything else failed on it, or when the outcome would hang on it without a write to
/// check it (a no-op, a conflict report), the update starts again from a read of the store.
struct UpdateBase {
    /// The stored bytes.
    var value: [UInt8]
    /// Their modRevision: the revision the compare-and-swap expects.
    var modRevision: Revision
    /// These bytes as a cache entry: the watch cache's own when it holds the same version (its
    /// decoded object is reused).
    var entry: CachedObject
    /// Whether the base came from the watch cache rather than a read of the store.
    let fromCache: Bool

    /// Thrown when a base taken from the watch cache may be stale: the update is redone from
    /// a read of the store. Never leaves the registry.
    struct Stale: Error {}

    /// A base read from the store, as `ResourceRegistry.cachedEntry` gives it.
    init(stored entry: CachedObject) {
        value = entry.value
        modRevision = entry.revision
        self.entry = entry
        fromCache = false
    }

    /// A base taken from the watch cache.
    init(cached entry: CachedObject) {
        value = entry.value
        modRevision = entry.revision
        self.entry = entry
        fromCache = true
    }

    /// The object these bytes hold, decoded once and shared with the watch cache.
    func object(as resource: KubeResource) throws -> any KubeObject {
        try entry.object(as: resource)
    }

    /// A base from the watch cache cannot decide `condition` on its own: throws `Stale` so the
    /// update starts again from the store.
    func requireStore(if condition: Bool) throws {
        if condition && fromCache { throw Stale() }
    }
}
