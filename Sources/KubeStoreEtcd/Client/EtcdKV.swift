import GRPCTransport

/// Client of etcd's `etcdserverpb.KV` service.
struct EtcdKV: Sendable {
    let connection: GRPCConnection

    func range(_ request: EtcdRPC.RangeRequest, timeout: Duration? = nil) async throws -> EtcdRPC.RangeResponse {
        try await connection.unary("/etcdserverpb.KV/Range", request, timeout: timeout)
    }

    func put(_ request: EtcdRPC.PutRequest) async throws -> EtcdRPC.PutResponse {
        try await connection.unary("/etcdserverpb.KV/Put", request)
    }

    func deleteRange(_ request: EtcdRPC.DeleteRangeRequest) async throws -> EtcdRPC.DeleteRangeResponse {
        try await connection.unary("/etcdserverpb.KV/DeleteRange", request)
    }

    func txn(_ request: EtcdRPC.TxnRequest) async throws -> EtcdRPC.TxnResponse {
        try await connection.unary("/etcdserverpb.KV/Txn", request)
    }

    func compact(_ request: EtcdRPC.CompactionRequest) async throws -> EtcdRPC.CompactionResponse {
        try await connection.unary("/etcdserverpb.KV/Compact", request)
    }
}
