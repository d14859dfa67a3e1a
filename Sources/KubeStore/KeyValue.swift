/// A store-wide revision number. See ``KeyValueStore`` for the exact numbering rules.
public typealias Revision = Int64

/// Identifier of a lease (see ``KeyValueStore/grantLease(ttlSeconds:)``). `0` means "no lease".
public typealias LeaseID = Int64

/// One version of one key, exactly like etcd's `mvccpb.KeyValue`.
public struct KeyValue: Sendable, Hashable {
    /// The key, e.g. `/registry/pods/default/nginx`. Keys are ordered by their UTF-8 bytes.
    public var key: String
    /// The value bytes (JSON for the API server). Empty for keys-only reads and delete events.
    public var value: [UInt8]
    /// Revision of the write that created the key (the first put after it was absent).
    public var createRevision: Revision
    /// Revision of the last write to the key. For a delete event: the deletion revision.
    public var modRevision: Revision
    /// 1 on create, +1 for every put; a deleted key starts again at 1 when re-created.
    public var version: Int64
    /// Lease the key is attached to, `0` for none.
    public var lease: LeaseID

    public init(
        key: String, value: [UInt8], createRevision: Revision, modRevision: Revision,
        version: Int64, lease: LeaseID = 0
    ) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }

    /// A copy with an empty value (for `keysOnly` reads).
    var withoutValue: KeyValue {
        var copy = self
        copy.value = []
        return copy
    }
}
