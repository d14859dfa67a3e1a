import Synchronization

/// A thread-safe memo of a pure function for inputs of which some recur among many that never
/// do (the FieldsV1 of managedFields entries: every pod of a template shares its creator's
/// set, while every pod's status set names its own IPs). An input is remembered the second
/// time it is seen, so one-off inputs neither take room nor push the recurring ones out; at
/// most `capacity` entries and `capacity * 4` sightings, each forgotten at once when full.
///
/// Keys are hashed once per lookup: the tables hold the hash beside the key.
final class RecurringMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Hashed: Hashable, Sendable {
        let key: Key
        let hash: Int

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (lhs: Hashed, rhs: Hashed) -> Bool { lhs.hash == rhs.hash && lhs.key == rhs.key }
    }

    private struct State {
        var entries: [Hashed: Value] = [:]
        /// Hashes of inputs seen once (a collision only remembers an input one sighting early).
        var sightings: Set<Int> = []
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The memoised `make(key)`; errors are not memoised.
    func value<E: Error>(for key: Key, _ make: (Key) throws(E) -> Value) throws(E) -> Value {
        let hashed = Hashed(key: key, hash: key.hashValue)
        let (known, seenBefore) = state.withLock { state -> (Value?, Bool) in
            if let known = state.entries[hashed] { return (known, true) }
            if state.sightings.count >= capacity * 4 { state.sightings.removeAll(keepingCapacity: true) }
            return (nil, !state.sightings.insert(hashed.hash).inserted)
        }
        if let known { return known }
        let value = try make(key)
        if seenBefore {
            state.withLock { state in
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
                state.entries[hashed] = value
                state.sightings.remove(hashed.hash)
            }
        }
        return value
    }
}
