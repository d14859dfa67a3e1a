import Foundation
import KubeModel
import KubeStore

extension ResourceRegistry {
    /// A watch: from `resourceVersion` unset or "0", synthetic ADDED events for every existing
    /// matching object first; from N, every change after N. Selectors filter (an object that
    /// starts or stops matching yields ADDED/DELETED); `allowWatchBookmarks=true` adds BOOKMARK
    /// events while idle; `timeoutSeconds` (default: random 30–60 min) ends the stream.
    func watch(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let filter = try ObjectFilter(request, resource: resource)
        let prefix = Self.listPrefix(resource, namespace: Self.namespace(of: request, resource))
        let timeout: Duration
        if let text = request.parameter("timeoutSeconds"), !text.isEmpty {
            guard let seconds = Int64(text), seconds >= 0 else {
                throw APIError.badRequest("invalid timeoutSeconds \"\(text)\"")
            }
            timeout = .seconds(seconds)
        } else {
            timeout = .seconds(Int64.random(in: 1800...3600))
        }
        let bookmarks = request.parameter("allowWatchBookmarks") == "true"
        if let cached = try await cachedWatch(request, resource: resource, prefix: prefix, filter: filter,
                                              deadline: .now + timeout, bookmarks: bookmarks) {
            return cached
        }

        var initial: [APIWatchEvent] = []
        let start: Revision
        if let requested = try Self.resourceVersion(request) {
            start = requested
            let compacted = try await store.compactedRevision()
            if requested < compacted {
                initial.append(WatchCursor.expiredEvent(requested: requested, compacted: compacted))
            }
        } else {
            let response = try await store.range(RangeRequest(.prefix(prefix)))
            start = response.revision
            for kv in response.kvs {
                let object = try decodeStored(kv, as: resource)
                if try filter.isEverything || filter.matches(Self.json(object)) {
                    initial.append(APIWatchEvent(type: .added, payload: .object(object)))
                }
            }
        }
        let cursor = WatchCursor(
            store: store, resource: resource, prefix: prefix, filter: filter, after: start,
            initial: initial, deadline: .now + timeout, bookmarkInterval: bookmarks ? bookmarkInterval : nil,
            connectionClosed: request.connectionClosed)
        if initial.first?.type == .error { cursor.finishAfterPending() }
        return .watch(APIWatchStream(batches: { try await cursor.next().map { [$0] } }))
    }
}
