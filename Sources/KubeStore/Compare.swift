/// A condition of a transaction, like etcd's `Compare`. A missing key has version 0,
/// createRevision 0 and modRevision 0 (so "absent" is `version == 0`); a `.value` comparison
/// against a missing key is always false (etcd semantics).
public struct Compare: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case version(Int64)
        case createRevision(Revision)
        case modRevision(Revision)
        case value([UInt8])
    }

    public enum Operator: Sendable, Hashable {
        case equal, notEqual, less, greater
    }

    public var key: String
    public var target: Target
    public var op: Operator

    public init(key: String, _ target: Target, _ op: Operator = .equal) {
        self.key = key
        self.target = target
        self.op = op
    }

    /// Evaluates the comparison against the key's current state (`nil` = missing).
    func evaluate(_ kv: KeyValue?) -> Bool {
        switch target {
        case .version(let v): return Self.apply(op, kv?.version ?? 0, v)
        case .createRevision(let v): return Self.apply(op, kv?.createRevision ?? 0, v)
        case .modRevision(let v): return Self.apply(op, kv?.modRevision ?? 0, v)
        case .value(let v):
            guard let kv else { return false }
            switch op {
            case .equal: return kv.value == v
            case .notEqual: return kv.value != v
            case .less: return kv.value.lexicographicallyPrecedes(v)
            case .greater: return v.lexicographicallyPrecedes(kv.value)
            }
        }
    }

    private static func apply(_ op: Operator, _ lhs: Int64, _ rhs: Int64) -> Bool {
        switch op {
        case .equal: return lhs == rhs
        case .notEqual: return lhs != rhs
        case .less: return lhs < rhs
        case .greater: return lhs > rhs
        }
    }
}
