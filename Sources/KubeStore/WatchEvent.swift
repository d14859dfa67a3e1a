/// One change observed by a watch.
public struct WatchEvent: Sendable, Hashable {
    public enum EventType: Sendable, Hashable {
        case put, delete
    }

    public var type: EventType
    /// The new key-value. For `.delete`: the key, `modRevision` = deletion revision, empty value,
    /// `createRevision`/`version`/`lease` 0.
    public var kv: KeyValue
    /// The key-value before this change, if the watch asked for it and the key existed.
    public var prevKV: KeyValue?

    public init(type: EventType, kv: KeyValue, prevKV: KeyValue? = nil) {
        self.type = type
        self.kv = kv
        self.prevKV = prevKV
    }

    /// The revision of the change.
    public var revision: Revision { kv.modRevision }

    static func tombstone(key: String, revision: Revision, prev: KeyValue?) -> WatchEvent {
        WatchEvent(
            type: .delete,
            kv: KeyValue(key: key, value: [], createRevision: 0, modRevision: revision, version: 0),
            prevKV: prev)
    }
}
