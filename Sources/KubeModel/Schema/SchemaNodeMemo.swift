import Synchronization

/// Values other modules derive from one ``SchemaNode`` (server-side apply's view of its shape,
/// say), computed at the first use and then shared: a node is immutable, so what is derived
/// from it never changes. One value per type.
public final class SchemaNodeMemo: Sendable {
    private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

    public init() {}

    /// The value of type `T` derived from the node, made by `make` the first time. `make` runs
    /// outside the lock (two threads may both make it; either result is kept), so it may use
    /// other nodes' memos.
    public func value<T: Sendable>(_ make: () throws -> T) rethrows -> T {
        let slot = ObjectIdentifier(T.self)
        if let known = values.withLock({ $0[slot] }) as? T { return known }
        let made = try make()
        values.withLock { $0[slot] = made }
        return made
    }
}
