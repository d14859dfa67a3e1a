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
            return KeyBounds(lower: lower, upper: KeyRange.prefixEnd(lower))
        case .interval(let from, let to):
            return KeyBounds(lower: Array(from.utf8), upper: to.map { Array($0.utf8) })
        }
    }
}

extension KeyRange {
    /// The smallest key greater than every key starting with `prefix` (etcd's
    /// `GetPrefixRangeEnd`), or `nil` when there is none (empty prefix or all bytes 0xFF): the
    /// exclusive end of a prefix range.
    public static func prefixEnd(_ prefix: [UInt8]) -> [UInt8]? {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return nil
    }

    /// ``prefixEnd(_:)`` for string keys (Kubernetes keys are ASCII paths).
    public static func prefixEnd(of prefix: String) -> String? {
        prefixEnd(Array(prefix.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }
}
