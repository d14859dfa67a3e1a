import KubeStore

/// One change as the watch cache holds and fans it out.
public struct CachedEvent: Sendable {
    public enum Kind: Sendable { case put, delete }

    public var kind: Kind
    public var key: String
    /// The revision of the change.
    public var revision: Revision
    /// The object after a put.
    public var current: CachedObject?
    /// The object before the change, reported at the change's revision (absent on creation).
    public var previous: CachedObject?
}
