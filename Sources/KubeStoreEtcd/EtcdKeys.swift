import Foundation
import KubeStore

/// Conversions between KubeStore's value types and etcd's wire messages.
enum EtcdKeys {
    /// The `key`/`range_end` pair etcd uses for a ``KeyRange``: `range_end` empty = one key,
    /// `"\0"` = no upper bound, and a prefix's end is the prefix with its last byte + 1.
    static func bounds(_ range: KeyRange) -> (key: Data, rangeEnd: Data) {
        switch range {
        case .key(let key):
            return (Data(key.utf8), Data())
        case .prefix(let prefix):
            let lower = Array(prefix.utf8)
            guard !lower.isEmpty else { return (unbounded, unbounded) }
            return (Data(lower), KeyRange.prefixEnd(lower).map { Data($0) } ?? unbounded)
        case .interval(let from, let to):
            // etcd rejects an empty key; "\0" is the smallest non-empty key.
            let lower = from.isEmpty ? unbounded : Data(from.utf8)
            guard let to else { return (lower, unbounded) }
            let upper = Data(to.utf8)
            // An empty interval: [x, x) (an empty range_end would mean "the single key x").
            guard !upper.isEmpty, lower.lexicographicallyPrecedes(upper) else { return (emptyRangeKey, emptyRangeKey) }
            return (lower, upper)
        }
    }

    static let unbounded = Data([0])
    /// `key == range_end` selects nothing.
    static let emptyRangeKey = Data([0, 0])
    /// A key used for revision probes (`count_only` reads); never written by Kubernetes.
    static let probeKey = Data([0])

    static func keyValue(_ kv: Mvccpb_KeyValue) -> KeyValue {
        KeyValue(
            key: String(decoding: kv.key, as: UTF8.self), value: [UInt8](kv.value),
            createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version,
            lease: kv.lease)
    }

    static func event(_ event: Mvccpb_Event, prevKV: Bool) -> WatchEvent {
        let previous = prevKV && event.hasPrevKv ? keyValue(event.prevKv) : nil
        switch event.type {
        case .delete:
            let tombstone = KeyValue(
                key: String(decoding: event.kv.key, as: UTF8.self), value: [],
                createRevision: 0, modRevision: event.kv.modRevision, version: 0)
            return WatchEvent(type: .delete, kv: tombstone, prevKV: previous)
        default:
            return WatchEvent(type: .put, kv: keyValue(event.kv), prevKV: previous)
        }
    }

    static func rangeRequest(_ request: RangeRequest) -> Etcdserverpb_RangeRequest {
        var message = Etcdserverpb_RangeRequest()
        (message.key, message.rangeEnd) = bounds(request.range)
        message.revision = request.revision
        message.limit = Int64(request.limit)
        message.countOnly = request.countOnly
        message.keysOnly = request.keysOnly
        return message
    }

    static func rangeResponse(_ response: Etcdserverpb_RangeResponse, revision: Revision) -> RangeResponse {
        RangeResponse(
            kvs: response.kvs.map(keyValue), count: Int(response.count), more: response.more,
            revision: revision)
    }

    static func compare(_ compare: Compare) -> Etcdserverpb_Compare {
        var message = Etcdserverpb_Compare()
        message.key = Data(compare.key.utf8)
        switch compare.op {
        case .equal: message.result = .equal
        case .notEqual: message.result = .notEqual
        case .less: message.result = .less
        case .greater: message.result = .greater
        }
        switch compare.target {
        case .version(let v):
            message.target = .version
            message.version = v
        case .createRevision(let v):
            message.target = .create
            message.createRevision = v
        case .modRevision(let v):
            message.target = .mod
            message.modRevision = v
        case .value(let v):
            message.target = .value
            message.value = Data(v)
        }
        return message
    }

    static func requestOp(_ op: TxnOp) -> Etcdserverpb_RequestOp {
        var message = Etcdserverpb_RequestOp()
        switch op {
        case .put(let key, let value, let lease):
            var put = Etcdserverpb_PutRequest()
            put.key = Data(key.utf8)
            put.value = Data(value)
            put.lease = lease
            put.prevKv = true
            message.requestPut = put
        case .delete(let range):
            var delete = Etcdserverpb_DeleteRangeRequest()
            (delete.key, delete.rangeEnd) = bounds(range)
            delete.prevKv = true
            message.requestDeleteRange = delete
        case .range(let request):
            message.requestRange = rangeRequest(request)
        }
        return message
    }

    static func opResult(_ response: Etcdserverpb_ResponseOp, revision: Revision) -> TxnOpResult {
        switch response.response {
        case .responsePut(let put):
            return .put(prevKV: put.hasPrevKv ? keyValue(put.prevKv) : nil)
        case .responseDeleteRange(let delete):
            return .delete(deleted: delete.prevKvs.map(keyValue))
        case .responseRange(let range):
            return .range(rangeResponse(range, revision: revision))
        case .responseTxn, .none:
            return .range(RangeResponse(kvs: [], count: 0, more: false, revision: revision))
        }
    }
}
