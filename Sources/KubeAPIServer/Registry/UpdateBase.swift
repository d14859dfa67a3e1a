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
    /// The watch cache's entry for these bytes, when it has one (its decoded object is reused).
    var cached: CachedObject?
    /// Whether the base came from the watch cache rather than a read of the store.
    let fromCache: Bool

    /// Thrown when a base taken from the watch cache may be stale: the update is redone from
    /// a read of the store. Never leaves the registry.
    struct Stale: Error {}

    /// A base read from the store; `cached` is the watch cache's entry, used when it holds the
    /// same version.
    init(_ kv: KeyValue, cached: CachedObject?) {
        value = kv.value
        modRevision = kv.modRevision
        self.cached = cached?.revision == kv.modRevision ? cached : nil
        fromCache = false
    }

    /// A base taken from the watch cache.
    init(_ cached: CachedObject) {
        value = cached.value
        modRevision = cached.revision
        self.cached = cached
        fromCache = true
    }

    /// The object these bytes hold, decoded once and shared with the watch cache.
    func object(key: String, as resource: KubeResource) throws -> any KubeObject {
        try (cached ?? CachedObject(key: key, value: value, revision: modRevision)).object(as: resource)
    }

    /// A base from the watch cache cannot decide `condition` on its own: throws `Stale` so the
    /// update starts again from the store.
    func requireStore(if condition: Bool) throws {
        if condition && fromCache { throw Stale() }
    }
}
