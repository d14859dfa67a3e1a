import Foundation
import KubeModel
import KubeStore

extension ResourceRegistry {
    /// GET reads the store (a consistent read); when the watch cache holds the same version,
    /// its decoded object and response JSON are reused instead of decoding again.
    func get(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let namespace = Self.namespace(of: request, resource)
        let key = Self.key(resource, namespace: namespace, name: request.info.name)
        guard let kv = try await store.get(key) else {
            throw APIError.notFound(resource: Self.groupResource(resource), name: request.info.name)
        }
        if let cached = watchCache?.object(forKey: key), cached.revision == kv.modRevision {
            return .stored(cached, .object(try cached.object(as: resource), code: 200))
        }
        return .object(try decodeStored(kv, as: resource), code: 200)
    }

    /// The addressed object and its key-value; 404 when absent.
    func fetch(_ request: APIRequest, resource: KubeResource) async throws -> (any KubeObject, KeyValue) {
        let namespace = Self.namespace(of: request, resource)
        let key = Self.key(resource, namespace: namespace, name: request.info.name)
        guard let kv = try await store.get(key) else {
            throw APIError.notFound(resource: Self.groupResource(resource), name: request.info.name)
        }
        return (try decodeCurrent(kv, as: resource), kv)
    }

    /// The object of a key-value just read from the store: the watch cache's decoded copy when
    /// it holds the same version, else decoded from the stored bytes.
    func decodeCurrent(_ kv: KeyValue, as resource: KubeResource) throws -> any KubeObject {
        try cachedEntry(kv).object(as: resource)
    }

    /// A key-value read from the store as a list entry: the watch cache's entry when it holds
    /// the same version (its decoded object and response JSON are shared), else the bytes.
    func cachedEntry(_ kv: KeyValue) -> CachedObject {
        if let cached = watchCache?.object(forKey: kv.key), cached.revision == kv.modRevision { return cached }
        return CachedObject(kv)
    }

    /// Parses `limit` (absent, 0 or negative: no limit).
    static func limit(_ request: APIRequest) throws -> Int {
        guard let text = request.parameter("limit"), !text.isEmpty else { return 0 }
        guard let value = Int(text) else { throw APIError.badRequest("invalid limit \"\(text)\": not an integer") }
        return max(0, value)
    }

    /// Parses `resourceVersion`: nil for unset or "0" (latest), else the revision.
    static func resourceVersion(_ request: APIRequest) throws -> Revision? {
        guard let text = request.parameter("resourceVersion"), !text.isEmpty, text != "0" else { return nil }
        guard let value = Int64(text), value > 0 else {
            throw APIError.badRequest("invalid resource version \"\(text)\"")
        }
        return value
    }

    func list(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let filter = try ObjectFilter(request, resource: resource)
        let limit = try Self.limit(request)
        let prefix = Self.listPrefix(resource, namespace: Self.namespace(of: request, resource))
        var revision: Revision = 0
        var startKey = prefix
        if let text = request.parameter("continue"), !text.isEmpty {
            let token = try ContinueToken(decoding: text)
            revision = token.rv
            startKey = prefix + token.start
            if revision < (try await store.compactedRevision()) {
                throw APIError.expired(ContinueToken.expiredMessage)
            }
        } else if let requested = try Self.resourceVersion(request) {
            revision = requested
            if requested < (try await store.compactedRevision()) {
                throw APIError.expired("The resourceVersion for the provided list is too old.")
            }
        } else if let cached = try await cachedList(request, resource: resource, prefix: prefix, filter: filter, limit: limit) {
            return cached
        }
        if revision == 0 { revision = try await store.currentRevision() }
        let page = try await listPage(resource, prefix: prefix, from: startKey, revision: revision,
                                      limit: limit, filter: filter)
        var meta = MetaV1.ListMeta(resourceVersion: String(revision))
        if let last = page.lastKey {
            meta.continue = ContinueToken(revision: revision, after: String(last.dropFirst(prefix.count))).encoded
            if filter.isEverything, let remaining = page.remaining { meta.remainingItemCount = Int64(remaining) }
        }
        return .list(ObjectList(resource: resource, entries: page.items, metadata: meta))
    }

    struct ListPage {
        /// The stored objects, undecoded: a list response splices their bytes as the watch
        /// cache's lists do, and decodes only for tables.
        var items: [CachedObject]
        /// Set when more matching objects may follow: the key of the last object examined.
        var lastKey: String?
        /// Objects after this page (selector-free lists only).
        var remaining: Int?
    }

    /// Reads objects in key order from `from` at `revision`, keeping those the filter matches,
    /// until `limit` are found (0: all).
    func listPage(_ resource: KubeResource, prefix: String, from: String, revision: Revision,
                  limit: Int, filter: ObjectFilter) async throws -> ListPage {
        let end = KeyRange.prefixEnd(of: prefix)
        var items: [CachedObject] = []
        var cursor = from
        while true {
            let batch = limit > 0 ? max(limit - items.count, filter.isEverything ? 0 : 100) : 0
            let response: RangeResponse
            do {
                response = try await store.range(RangeRequest(.interval(from: cursor, to: end), revision: revision, limit: batch))
            } catch StoreError.compacted {
                throw APIError.expired(ContinueToken.expiredMessage)
            }
            for (index, kv) in response.kvs.enumerated() {
                let object = cachedEntry(kv)
                if try filter.matches(cached: object, as: resource) {
                    items.append(object)
                    if limit > 0 && items.count == limit {
                        let moreInBatch = index < response.kvs.count - 1
                        if moreInBatch || response.more {
                            return ListPage(items: items, lastKey: kv.key, remaining: response.count - index - 1)
                        }
                        return ListPage(items: items, lastKey: nil, remaining: nil)
                    }
                }
            }
            guard response.more, let last = response.kvs.last else {
                return ListPage(items: items, lastKey: nil, remaining: nil)
            }
            cursor = last.key + "\u{0}"
        }
    }
}
