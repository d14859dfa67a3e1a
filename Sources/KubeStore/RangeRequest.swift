/// A read of a key range at one revision, like etcd's `RangeRequest`.
public struct RangeRequest: Sendable, Hashable {
    public var range: KeyRange
    /// Revision to read at; `0` means the latest.
    public var revision: Revision
    /// Maximum number of key-values to return; `0` means no limit.
    public var limit: Int
    /// Return only `count` (no key-values).
    public var countOnly: Bool
    /// Return key-values with empty values.
    public var keysOnly: Bool

    public init(
        _ range: KeyRange, revision: Revision = 0, limit: Int = 0, countOnly: Bool = false,
        keysOnly: Bool = false
    ) {
        self.range = range
        self.revision = revision
        self.limit = limit
        self.countOnly = countOnly
        self.keysOnly = keysOnly
    }
}

/// The result of a ``RangeRequest``.
public struct RangeResponse: Sendable, Hashable {
    /// Matching key-values sorted by key (bytewise), at most `limit` of them.
    public var kvs: [KeyValue]
    /// Total number of matching keys, ignoring `limit`.
    public var count: Int
    /// `true` when `limit` cut the result (more keys match).
    public var more: Bool
    /// The store's current revision when the read was served (not the requested revision).
    public var revision: Revision

    public init(kvs: [KeyValue], count: Int, more: Bool, revision: Revision) {
        self.kvs = kvs
        self.count = count
        self.more = more
        self.revision = revision
    }

    /// Builds a response from all matching key-values (sorted), applying the request's options.
    init(matching all: [KeyValue], request: RangeRequest, revision: Revision) {
        let count = all.count
        var kvs: [KeyValue]
        if request.countOnly {
            kvs = []
        } else if request.limit > 0 && all.count > request.limit {
            kvs = Array(all.prefix(request.limit))
        } else {
            kvs = all
        }
        if request.keysOnly { kvs = kvs.map(\.withoutValue) }
        self.init(kvs: kvs, count: count, more: request.limit > 0 && count > request.limit, revision: revision)
    }
}
