import Foundation
import KubeModel
import KubeStore

/// Lists and watches served by the ``WatchCache``.
extension ResourceRegistry {
    /// A list from the cache, or nil when the store must answer: no cache, not loaded, or (for a
    /// consistent read, `resourceVersion` unset) the cache did not catch up with the store's
    /// current revision in time. `resourceVersion=0` takes the cache as it is. With `limit`, the
    /// first page comes from the cache and the continue token pins the later pages to the
    /// cache's revision in the store.
    func cachedList(_ request: APIRequest, resource: KubeResource, prefix: String, filter: ObjectFilter,
                    limit: Int) async throws -> APIResult? {
        guard let cache = watchCache, cache.isReady else { return nil }
        if request.parameter("resourceVersion") != "0" {
            let current = try await store.currentRevision()
            guard await cache.waitUntil(current, timeout: cacheWaitLimit) else { return nil }
        }
        guard let snapshot = cache.snapshot(prefix: prefix) else { return nil }
        // Filtered before sorting: a selector that keeps few of many objects (a poll for pods
        // not yet Running) sorts only those.
        var matching = snapshot.objects
        if !filter.isEverything {
            matching = try matching.filter { try filter.matches(cached: $0, as: resource) }
        }
        matching.sort { $0.key < $1.key }
        var meta = MetaV1.ListMeta(resourceVersion: String(snapshot.revision))
        var items = matching[...]
        if limit > 0 && matching.count >= limit {
            items = matching[..<limit]
            let last = matching[limit - 1].key
            // A full page continues while any object follows it, matching or not (as a page
            // read from the store does).
            if matching.count > limit || snapshot.objects.contains(where: { $0.key > last }) {
                meta.continue = ContinueToken(revision: snapshot.revision, after: String(last.dropFirst(prefix.count))).encoded
                if filter.isEverything { meta.remainingItemCount = Int64(matching.count - limit) }
            }
        }
        return .list(ObjectList(resource: resource, entries: Array(items), metadata: meta))
    }

    /// A watch from the cache, or nil when the store must serve it (no cache, not loaded, or a
    /// resourceVersion older than the cache's event window).
    func cachedWatch(_ request: APIRequest, resource: KubeResource, prefix: String, filter: ObjectFilter,
                     deadline: ContinuousClock.Instant, bookmarks: Bool) async throws -> APIResult? {
        guard let cache = watchCache, cache.isReady else { return nil }
        let requested = try Self.resourceVersion(request)
        if requested == nil && request.parameter("resourceVersion") == nil {
            // Unset: start from the store's current state, like a consistent list.
            let current = try await store.currentRevision()
            guard await cache.waitUntil(current, timeout: cacheWaitLimit) else { return nil }
        }
        let cursor: CachedWatchCursor
        switch cache.startWatch(prefix: prefix, after: requested) {
        case .unavailable, .beforeWindow:
            return nil
        case .snapshot(let objects, _, let handle):
            let initial = try CachedWatchCursor.initialEvents(objects, resource: resource, filter: filter)
            cursor = CachedWatchCursor(
                handle: handle, resource: resource, filter: filter, initial: initial, replay: [],
                skipThrough: 0, deadline: deadline, bookmarkInterval: bookmarks ? bookmarkInterval : nil,
                connectionClosed: request.connectionClosed)
        case .replay(let events, let handle):
            cursor = CachedWatchCursor(
                handle: handle, resource: resource, filter: filter, initial: [], replay: events,
                skipThrough: requested ?? 0, deadline: deadline,
                bookmarkInterval: bookmarks ? bookmarkInterval : nil, connectionClosed: request.connectionClosed)
        }
        return .watch(APIWatchStream(batches: { try await cursor.nextBatch() }))
    }

    /// Tells the watch cache what a write is about to store (see ``WatchCache/expect(key:value:object:)``),
    /// so watchers that see its event first find the decoded object already.
    func expectWrite(key: String, bytes: [UInt8], object: any KubeObject, resource: KubeResource) {
        guard let cache = watchCache, let decoded = Self.cacheable(object, resource: resource) else { return }
        cache.expect(key: key, value: bytes, object: decoded)
    }

    /// What a create or update just stored, as the cache will hold it: the bytes, their revision
    /// and `object` — the object the bytes were encoded from — as their decoded form. Handed to
    /// the watch cache (see ``WatchCache/offer(_:)``); the response is rendered from it too.
    /// Kinds stored in another version than the one written keep only the bytes.
    func written(key: String, bytes: [UInt8], revision: Revision, object: any KubeObject,
                 resource: KubeResource) -> CachedObject {
        let written = CachedObject(key: key, value: bytes, revision: revision)
        guard let cache = watchCache, var decoded = Self.cacheable(object, resource: resource) else { return written }
        decoded.metadata.resourceVersion = String(revision)
        written.adopt(decoded)
        cache.offer(written)
        return written
    }

    /// `object` as the watch cache holds decoded objects (`apiVersion` and `kind` set, no
    /// `selfLink`); nil when the stored bytes are not its encoding as `resource` (another type,
    /// or a kind stored in another version).
    static func cacheable(_ object: any KubeObject, resource: KubeResource) -> (any KubeObject)? {
        guard ObjectIdentifier(type(of: object)) == ObjectIdentifier(resource.type),
              StorageVersions.conversion(for: resource) == nil else { return nil }
        var decoded = object
        decoded.metadata.selfLink = nil
        decoded.apiVersion = resource.apiVersion
        decoded.kind = resource.kind
        return decoded
    }
}
