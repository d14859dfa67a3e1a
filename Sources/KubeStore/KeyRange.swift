/// The set of keys an operation applies to. Keys compare by their UTF-8 bytes (like etcd).
public enum KeyRange: Sendable, Hashable {
    /// Exactly one key.
    case key(String)
    /// Every key starting with the prefix (`.prefix("")` is every key).
    case prefix(String)
    /// Keys `k` with `from <= k < to` (half-open); `to == nil` means no upper bound.
    case interval(from: String, to: String?)

    /// Byte bounds of the range, used by the backends.
    var bounds: KeyBounds {
        switch self {
        case .key(let key):
            return KeyBounds(exact: Array(key.utf8))
        case .prefix(let prefix):
            let lower = Array(prefix.utf8)
            return KeyBounds(lower: lower, upper: KeyBounds.prefixEnd(lower))
        case .interval(let from, let to):
            return KeyBounds(lower: Array(from.utf8), upper: to.map { Array($0.utf8) })
        }
    }
}
