import KubeModel

/// What a resource handler answers; the HTTP layer renders it as JSON, YAML or a `Table`
/// (content negotiation) and streams watches.
public enum APIResult: Sendable {
    /// One object: get, create (201), update, patch, delete (200 with the object, or 202 when
    /// deletion is pending on finalizers/graceful termination).
    case object(any KubeObject, code: Int)
    /// A list response (`PodList`…): items, `resourceVersion`, `continue`, `remainingItemCount`.
    case list(ObjectList)
    /// A `Status` with success or failure code (e.g. delete of a collection).
    case status(MetaV1.Status, code: Int)
    /// A watch: newline-delimited `{"type":…,"object":…}` events until the stream ends.
    case watch(APIWatchStream)
    /// Pre-rendered bytes (discovery, OpenAPI, logs, `/version`).
    case raw([UInt8], contentType: String, code: Int)
    /// Another result plus warnings for the client, each sent as a `Warning: 299 - "…"` header
    /// (e.g. `fieldValidation=Warn`: `unknown field "spec.foo"`).
    indirect case warning([String], APIResult)
    /// An `.object` read from the store that the watch cache holds at the same revision: its
    /// response JSON is made once and reused by every GET and watch of that version.
    indirect case stored(CachedObject, APIResult)
}

extension APIResult {
    /// `self` with `warnings` added (unchanged when there are none).
    public func addingWarnings(_ warnings: [String]) -> APIResult {
        guard !warnings.isEmpty else { return self }
        if case .warning(let existing, let inner) = self { return .warning(existing + warnings, inner) }
        return .warning(warnings, self)
    }

    /// The warnings carried, in order.
    public var warnings: [String] {
        if case .warning(let warnings, let inner) = self { return warnings + inner.warnings }
        if case .stored(_, let inner) = self { return inner.warnings }
        return []
    }

    /// The result without its warnings.
    public var withoutWarnings: APIResult {
        if case .warning(_, let inner) = self { return inner.withoutWarnings }
        if case .stored(_, let inner) = self { return inner.withoutWarnings }
        return self
    }
}

/// The items of a list response, with the resource they belong to (for `kind: PodList` and tables).
/// Items served from the watch cache stay as stored bytes until rendered; their response JSON
/// is made once and reused by every list that includes them.
public struct ObjectList: Sendable {
    public var resource: KubeResource
    public var entries: [CachedObject]
    public var metadata: MetaV1.ListMeta

    public init(resource: KubeResource, items: [any KubeObject], metadata: MetaV1.ListMeta) {
        self.init(resource: resource, entries: items.map(CachedObject.init(object:)), metadata: metadata)
    }

    public init(resource: KubeResource, entries: [CachedObject], metadata: MetaV1.ListMeta) {
        self.resource = resource
        self.entries = entries
        self.metadata = metadata
    }

    /// The items as typed objects (an unreadable stored item is left out; rendering reports it).
    public var items: [any KubeObject] {
        entries.compactMap { try? $0.object(as: resource) }
    }
}

/// One watch event as sent on the wire.
public struct APIWatchEvent: Sendable {
    public enum EventType: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR"
    }

    public enum Payload: Sendable {
        case object(any KubeObject)
        /// An object the watch cache holds, decoded as the resource's kind only when something
        /// needs it typed (a table); its JSON is the cache's shared response bytes.
        case cached(CachedObject, KubeResource)
        /// A bookmark carries only `kind`, `apiVersion` and `metadata.resourceVersion`.
        case bookmark(kind: String, apiVersion: String, resourceVersion: String)
        case status(MetaV1.Status)
    }

    public var type: EventType
    public var payload: Payload
    /// The cached object behind an `.object` payload, whose response JSON is shared by watchers.
    public var source: CachedObject?

    public init(type: EventType, payload: Payload, source: CachedObject? = nil) {
        self.type = type
        self.payload = payload
        self.source = source
    }

    /// The event's object, decoded if the cache still holds it as JSON (nil for bookmarks and errors).
    public func object() throws -> (any KubeObject)? {
        switch payload {
        case .object(let object): return object
        case .cached(let cached, let resource): return try cached.object(as: resource)
        case .bookmark, .status: return nil
        }
    }
}
