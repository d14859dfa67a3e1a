import Synchronization

/// A thread-safe memo of a pure function over a few recurring inputs (a client's `Accept`
/// header, its user agent, a manager's FieldsV1): at most `capacity` entries, all forgotten at
/// once when it fills, so a stream of distinct inputs costs a lookup each and never grows it.
final class BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let entries = Mutex<[Key: Value]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The memoised `make(key)`; errors are not memoised.
    func value<E: Error>(for key: Key, _ make: (Key) throws(E) -> Value) throws(E) -> Value {
        if let known = entries.withLock({ $0[key] }) { return known }
        let value = try make(key)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
        return value
    }
}
