import KubeStore

/// Conversions between KubeStore's value types and etcd's wire messages.
enum EtcdKeys {
    /// The `key`/`range_end` pair etcd uses for a ``KeyRange``: `range_end` empty = one key,
    /// `"\0"` = no upper bound, and a prefix's end is the prefix with its last byte + 1.
    static func bounds(_ range: KeyRange) -> (key: [UInt8], rangeEnd: [UInt8]) {
        switch range {
        case .key(let key):
            return (Array(key.utf8), [])
        case .prefix(let prefix):
            let lower = Array(prefix.utf8)
            guard !lower.isEmpty else { return (unbounded, unbounded) }
            return (lower, KeyRange.prefixEnd(lower) ?? unbounded)
        case .interval(let from, let to):
            // etcd rejects an empty key; "\0" is the smallest non-empty key.
            let lower = from.isEmpty ? unbounded : Array(from.utf8)
            guard let to else { return (lower, unbounded) }
            let upper = Array(to.utf8)
            // An empty interval: [x, x) (an empty range_end would mean "the single key x").
            guard !upper.isEmpty, lower.lexicographicallyPrecedes(upper) else { return (emptyRangeKey, emptyRangeKey) }
            return (lower, upper)
        }
    }

    static let unbounded: [UInt8] = [0]
    /// `key == range_end` selects nothing.
    static let emptyRangeKey: [UInt8] = [0, 0]
    /// A key used for revision probes (`count_only` reads); never written by Kubernetes.
    static let probeKey: [UInt8] = [0]

    static func keyValue(_ kv: EtcdRPC.KeyValue) -> KeyValue {
        KeyValue(
            key: String(decoding: kv.key, as: UTF8.self), value: kv.value,
            createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version,
            lease: kv.lease)
    }

    static func event(_ event: EtcdRPC.Event, prevKV: Bool) -> WatchEvent {
        let previous = prevKV ? event.prevKV.map(keyValue) : nil
        let kv = event.kv ?? EtcdRPC.KeyValue()
        switch event.type {
        case .delete:
            let tombstone = KeyValue(
                key: String(decoding: kv.key, as: UTF8.self), value: [],
                createRevision: 0, modRevision: kv.modRevision, version: 0)
            return WatchEvent(type: .delete, kv: tombstone, prevKV: previous)
        case .put:
            return WatchEvent(type: .put, kv: keyValue(kv), prevKV: previous)
        }
    }

    static func rangeRequest(_ request: RangeRequest) -> EtcdRPC.RangeRequest {
        var message = EtcdRPC.RangeRequest()
        (message.key, message.rangeEnd) = bounds(request.range)
        message.revision = request.revision
        message.limit = Int64(request.limit)
        message.countOnly = request.countOnly
        message.keysOnly = request.keysOnly
        return message
    }

    static func rangeResponse(_ response: EtcdRPC.RangeResponse, revision: Revision) -> RangeResponse {
        RangeResponse(
            kvs: response.kvs.map(keyValue), count: Int(response.count), more: response.more,
            revision: revision)
    }

    static func compare(_ compare: Compare) -> EtcdRPC.Compare {
        var message = EtcdRPC.Compare()
        message.key = Array(compare.key.utf8)
        switch compare.op {
        case .equal: message.result = .equal
        case .notEqual: message.result = .notEqual
        case .less: message.result = .less
        case .greater: message.result = .greater
        }
        switch compare.target {
        case .version(let v):
            message.target = .version
            message.targetUnion = .version(v)
        case .createRevision(let v):
            message.target = .create
            message.targetUnion = .createRevision(v)
        case .modRevision(let v):
            message.target = .mod
            message.targetUnion = .modRevision(v)
        case .value(let v):
            message.target = .value
            message.targetUnion = .value(v)
        }
        return message
    }

    static func requestOp(_ op: TxnOp) -> EtcdRPC.RequestOp {
        switch op {
        case .put(let key, let value, let lease):
            var put = EtcdRPC.PutRequest()
            put.key = Array(key.utf8)
            put.value = value
            put.lease = lease
            put.prevKV = true
            return EtcdRPC.RequestOp(.put(put))
        case .delete(let range):
            var delete = EtcdRPC.DeleteRangeRequest()
            (delete.key, delete.rangeEnd) = bounds(range)
            delete.prevKV = true
            return EtcdRPC.RequestOp(.deleteRange(delete))
        case .range(let request):
            return EtcdRPC.RequestOp(.range(rangeRequest(request)))
        }
    }

    static func opResult(_ response: EtcdRPC.ResponseOp, revision: Revision) -> TxnOpResult {
        switch response.response {
        case .put(let put):
            return .put(prevKV: put.prevKV.map(keyValue))
        case .deleteRange(let delete):
            return .delete(deleted: delete.prevKVs.map(keyValue))
        case .range(let range):
            return .range(rangeResponse(range, revision: revision))
        case .txn, nil:
            return .range(RangeResponse(kvs: [], count: 0, more: false, revision: revision))
        }
    }
}
