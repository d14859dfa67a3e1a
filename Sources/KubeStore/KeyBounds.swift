/// A resolved key range over UTF-8 bytes: `lower <= key < upper` (`upper == nil`: unbounded),
/// or a single key when `isExact`.
struct KeyBounds: Sendable, Hashable {
    var lower: [UInt8]
    var upper: [UInt8]?
    var isExact: Bool

    init(lower: [UInt8], upper: [UInt8]?) {
        self.lower = lower
        self.upper = upper
        self.isExact = false
    }

    init(exact key: [UInt8]) {
        self.lower = key
        self.upper = key + [0]
        self.isExact = true
    }


    func contains(_ key: String) -> Bool {
        contains(bytes: Array(key.utf8))
    }

    func contains(bytes: [UInt8]) -> Bool {
        if isExact { return bytes == lower }
        if bytes.lexicographicallyPrecedes(lower) { return false }
        if let upper, !bytes.lexicographicallyPrecedes(upper) { return false }
        return true
    }
}

/// Byte-wise key order (etcd and SQLite BLOB order), not Swift's Unicode `String` order.
@inline(__always)
func keyPrecedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
