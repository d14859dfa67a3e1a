/// What the shared transaction logic (``TxnEngine``) needs from a backend while applying writes.
/// Reads must observe the writes recorded earlier through the same target (earlier ops of the
/// transaction and earlier transactions of the same commit batch).
protocol MVCCWriteTarget {
    /// Latest state of `key` (`nil` if absent).
    func latest(_ key: String) throws -> KeyValue?
    /// Latest key-values in `bounds`, sorted by key.
    func latest(in bounds: KeyBounds) throws -> [KeyValue]
    /// Serves a range op inside a write, with `current` as the current revision.
    func range(_ request: RangeRequest, current: Revision) throws -> RangeResponse
    /// The compacted revision.
    func compactedRevision() throws -> Revision
    func leaseExists(_ id: LeaseID) throws -> Bool
    /// Records a put of `kv` (already carrying its revisions); `sub` orders changes within a revision.
    mutating func recordPut(_ kv: KeyValue, prev: KeyValue?, sub: Int) throws
    /// Records the deletion of `prev.key` at `revision`.
    mutating func recordDelete(_ prev: KeyValue, revision: Revision, sub: Int) throws
}

/// Backend-independent transaction semantics (etcd's `applyTxn`).
enum TxnEngine {
    /// Applies `request` on top of revision `current`. Returns the response and the watch events
    /// (with `prevKV` always filled). Validation errors (unknown lease, bad read revision) are
    /// thrown before anything is recorded.
    static func apply<T: MVCCWriteTarget>(
        _ request: TxnRequest, current: Revision, target: inout T
    ) throws -> (response: TxnResponse, events: [WatchEvent]) {
        var succeeded = true
        for compare in request.compares where !compare.evaluate(try target.latest(compare.key)) {
            succeeded = false
            break
        }
        let ops = succeeded ? request.success : request.failure
        try validate(ops, current: current, target: target)

        let revision = current + 1
        var events: [WatchEvent] = []
        var results: [TxnOpResult] = []
        results.reserveCapacity(ops.count)
        for op in ops {
            switch op {
            case .put(let key, let value, let lease):
                let prev = try target.latest(key)
                let kv = KeyValue(
                    key: key, value: value, createRevision: prev?.createRevision ?? revision,
                    modRevision: revision, version: (prev?.version ?? 0) + 1, lease: lease)
                try target.recordPut(kv, prev: prev, sub: events.count)
                events.append(WatchEvent(type: .put, kv: kv, prevKV: prev))
                results.append(.put(prevKV: prev))
            case .delete(let range):
                let victims = try target.latest(in: range.bounds)
                for victim in victims {
                    try target.recordDelete(victim, revision: revision, sub: events.count)
                    events.append(.tombstone(key: victim.key, revision: revision, prev: victim))
                }
                results.append(.delete(deleted: victims))
            case .range(let read):
                results.append(.range(try target.range(read, current: events.isEmpty ? current : revision)))
            }
        }
        let newRevision = events.isEmpty ? current : revision
        return (TxnResponse(succeeded: succeeded, revision: newRevision, results: results), events)
    }

    private static func validate<T: MVCCWriteTarget>(_ ops: [TxnOp], current: Revision, target: T) throws {
        var sawWrite = false
        for op in ops {
            switch op {
            case .put(_, _, let lease):
                sawWrite = true
                if lease != 0, try !target.leaseExists(lease) { throw StoreError.leaseNotFound(lease) }
            case .delete:
                sawWrite = true
            case .range(let read):
                guard read.revision != 0 else { continue }
                let compacted = try target.compactedRevision()
                if read.revision < compacted { throw StoreError.compacted(compacted) }
                if read.revision > current + (sawWrite ? 1 : 0) { throw StoreError.futureRevision(current) }
            }
        }
    }
}
