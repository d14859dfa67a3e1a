/// One operation of a transaction.
public enum TxnOp: Sendable, Hashable {
    /// Put `value` at `key`, attached to `lease` (0 = none).
    case put(key: String, value: [UInt8], lease: LeaseID)
    /// Delete every key in the range.
    case delete(KeyRange)
    /// Read; sees the writes made by earlier ops of the same transaction.
    case range(RangeRequest)

    var isWrite: Bool {
        if case .range = self { return false }
        return true
    }
}

/// An etcd-style mini transaction: if every compare holds, run `success`, else `failure`.
public struct TxnRequest: Sendable, Hashable {
    public var compares: [Compare]
    public var success: [TxnOp]
    public var failure: [TxnOp]

    public init(compares: [Compare] = [], success: [TxnOp] = [], failure: [TxnOp] = []) {
        self.compares = compares
        self.success = success
        self.failure = failure
    }
}

/// Result of one ``TxnOp``.
public enum TxnOpResult: Sendable, Hashable {
    /// The key's previous key-value (`nil` if it did not exist).
    case put(prevKV: KeyValue?)
    /// The deleted key-values, sorted by key.
    case delete(deleted: [KeyValue])
    case range(RangeResponse)
}

/// The result of a ``TxnRequest``.
public struct TxnResponse: Sendable, Hashable {
    /// Whether the compares held (and the `success` branch ran).
    public var succeeded: Bool
    /// The store revision after the transaction: the transaction's own revision if it wrote,
    /// otherwise the current revision.
    public var revision: Revision
    /// One result per op of the branch that ran.
    public var results: [TxnOpResult]

    public init(succeeded: Bool, revision: Revision, results: [TxnOpResult]) {
        self.succeeded = succeeded
        self.revision = revision
        self.results = results
    }
}
