@testable import KubeStoreEtcd

/// Representative instances of every etcd message KubeStoreEtcd encodes or decodes, named as in
/// ``EtcdMessageGoldenBytes`` (negative int64s, zero-valued oneof members, empty nested messages,
/// repeated and packed fields).
enum EtcdMessageFixtures {
    typealias RPC = EtcdRPC

    static func b(_ string: String) -> [UInt8] { Array(string.utf8) }

    static let header = RPC.ResponseHeader(
        clusterID: 14_841_639_068_965_178_418, memberID: 10_276_657_743_932_975_437, revision: 42, raftTerm: 2)
    static let kv = RPC.KeyValue(
        key: b("/registry/pods/default/a"), createRevision: 5, modRevision: 300, version: 3, value: [0, 1, 2, 255],
        lease: 7_587_869_140_431_329_283)
    static let put = RPC.PutRequest(
        key: b("k"), value: b("v"), lease: 99, prevKV: true, ignoreValue: true, ignoreLease: true)
    static let delete = RPC.DeleteRangeRequest(key: b("a"), rangeEnd: [0], prevKV: true)
    static let compareVersion0 = RPC.Compare(result: .equal, target: .version, key: b("k"), targetUnion: .version(0))
    static let compareValue = RPC.Compare(
        result: .notEqual, target: .value, key: b("k"), targetUnion: .value(b("v")), rangeEnd: b("z"))
    static let range = RPC.RangeRequest(key: b("r"))
    static let rangeResponse = RPC.RangeResponse(header: header, kvs: [kv], count: 1)
    static let create = RPC.WatchCreateRequest(
        key: b("/registry/"), rangeEnd: b("/registry0"), startRevision: 17, progressNotify: true,
        filters: [.noDelete, .noPut, .noDelete], prevKV: true, watchID: 3, fragment: true)

    static let all: [EtcdGoldenCase] = [
        .init("header", header),
        .init("header.empty", RPC.ResponseHeader()),
        .init("kv", kv),
        .init("kv.negative", RPC.KeyValue(key: b("k"), createRevision: -1, lease: -2)),
        .init("event.put", RPC.Event(type: .put, kv: kv)),
        .init("event.delete", RPC.Event(type: .delete, kv: RPC.KeyValue(key: b("x"), modRevision: 9), prevKV: kv)),
        .init("event.emptyKV", RPC.Event(kv: RPC.KeyValue())),
        .init("range.req", RPC.RangeRequest(
            key: b("/a"), rangeEnd: b("/b"), limit: 500, revision: 77, sortOrder: .descend, sortTarget: .mod,
            serializable: true, keysOnly: true, countOnly: true, minModRevision: 1, maxModRevision: 2,
            minCreateRevision: 3, maxCreateRevision: 4)),
        .init("range.req.probe", RPC.RangeRequest(key: [0], countOnly: true)),
        .init("range.resp", RPC.RangeResponse(header: header, kvs: [kv, kv], more: true, count: 1234)),
        .init("range.resp.empty", RPC.RangeResponse(header: RPC.ResponseHeader())),
        .init("put.req", put),
        .init("put.resp", RPC.PutResponse(header: header, prevKV: kv)),
        .init("delete.req", delete),
        .init("delete.resp", RPC.DeleteRangeResponse(header: header, deleted: 2, prevKVs: [kv, kv])),
        .init("compare.version0", compareVersion0),
        .init("compare.create", RPC.Compare(result: .greater, target: .create, key: b("k"), targetUnion: .createRevision(12))),
        .init("compare.mod", RPC.Compare(result: .less, target: .mod, key: b("k"), targetUnion: .modRevision(13))),
        .init("compare.value", compareValue),
        .init("compare.lease", RPC.Compare(target: .lease, key: b("k"), targetUnion: .lease(5))),
        .init("op.range", RPC.RequestOp(.range(range))),
        .init("op.put", RPC.RequestOp(.put(put))),
        .init("op.delete", RPC.RequestOp(.deleteRange(delete))),
        .init("op.txn", RPC.RequestOp(.txn(RPC.TxnRequest(compare: [compareVersion0])))),
        .init("op.emptyPut", RPC.RequestOp(.put(RPC.PutRequest()))),
        .init("txn.req", RPC.TxnRequest(
            compare: [compareVersion0, compareValue], success: [RPC.RequestOp(.put(put)), RPC.RequestOp(.range(range))],
            failure: [RPC.RequestOp(.deleteRange(delete))])),
        .init("txn.req.empty", RPC.TxnRequest()),
        .init("respop.range", RPC.ResponseOp(.range(rangeResponse))),
        .init("respop.put", RPC.ResponseOp(.put(RPC.PutResponse(header: header, prevKV: kv)))),
        .init("respop.delete", RPC.ResponseOp(.deleteRange(RPC.DeleteRangeResponse(header: header, deleted: 1, prevKVs: [kv])))),
        .init("respop.txn", RPC.ResponseOp(.txn(RPC.TxnResponse(header: header, succeeded: true)))),
        .init("txn.resp", RPC.TxnResponse(
            header: header, succeeded: true,
            responses: [RPC.ResponseOp(.range(rangeResponse)), RPC.ResponseOp(.put(RPC.PutResponse(header: header)))])),
        .init("compact.req", RPC.CompactionRequest(revision: 1000, physical: true)),
        .init("compact.resp", RPC.CompactionResponse(header: header)),
        .init("grant.req", RPC.LeaseGrantRequest(ttl: 60, id: 0)),
        .init("grant.req.id", RPC.LeaseGrantRequest(ttl: 5, id: 7_587_869_140_431_329_283)),
        .init("grant.resp", RPC.LeaseGrantResponse(header: header, id: 7_587_869_140_431_329_283, ttl: 60, error: "oops")),
        .init("revoke.req", RPC.LeaseRevokeRequest(id: 42)),
        .init("revoke.resp", RPC.LeaseRevokeResponse(header: header)),
        .init("keepalive.req", RPC.LeaseKeepAliveRequest(id: 42)),
        .init("keepalive.resp", RPC.LeaseKeepAliveResponse(header: header, id: 42, ttl: 30)),
        .init("ttl.req", RPC.LeaseTimeToLiveRequest(id: 42, keys: true)),
        .init("ttl.resp", RPC.LeaseTimeToLiveResponse(
            header: header, id: 42, ttl: -1, grantedTTL: 60, keys: [b("a"), [], b("b")])),
        .init("watch.create", create),
        .init("watch.create.min", RPC.WatchCreateRequest(key: [0], rangeEnd: [0])),
        .init("watch.cancel", RPC.WatchCancelRequest(watchID: 3)),
        .init("watch.req.create", RPC.WatchRequest(.create(create))),
        .init("watch.req.cancel", RPC.WatchRequest(.cancel(RPC.WatchCancelRequest(watchID: 0)))),
        .init("watch.req.progress", RPC.WatchRequest(.progress(RPC.WatchProgressRequest()))),
        .init("watch.resp", RPC.WatchResponse(
            header: header, watchID: 3, created: true, canceled: true, compactRevision: 5,
            cancelReason: "mvcc: required revision has been compacted", fragment: true,
            events: [RPC.Event(type: .put, kv: kv), RPC.Event(type: .delete, kv: kv, prevKV: kv)])),
        .init("watch.resp.created", RPC.WatchResponse(header: header, created: true)),
        .init("status.req", RPC.StatusRequest()),
        .init("status.resp", RPC.StatusResponse(
            header: header, version: "3.5.16", dbSize: 20480, leader: 10_276_657_743_932_975_437, raftIndex: 100,
            raftTerm: 2, raftAppliedIndex: 99, errors: ["a", "bc"], dbSizeInUse: 16384, isLearner: true)),
        .init("defrag.req", RPC.DefragmentRequest()),
        .init("defrag.resp", RPC.DefragmentResponse(header: header)),
    ]
}
