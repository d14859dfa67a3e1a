import GRPCTransport

/// Client of etcd's `etcdserverpb.Lease` service.
struct EtcdLease: Sendable {
    let connection: GRPCConnection

    func leaseGrant(_ request: EtcdRPC.LeaseGrantRequest) async throws -> EtcdRPC.LeaseGrantResponse {
        try await connection.unary("/etcdserverpb.Lease/LeaseGrant", request)
    }

    func leaseRevoke(_ request: EtcdRPC.LeaseRevokeRequest) async throws -> EtcdRPC.LeaseRevokeResponse {
        try await connection.unary("/etcdserverpb.Lease/LeaseRevoke", request)
    }

    func leaseTimeToLive(_ request: EtcdRPC.LeaseTimeToLiveRequest) async throws -> EtcdRPC.LeaseTimeToLiveResponse {
        try await connection.unary("/etcdserverpb.Lease/LeaseTimeToLive", request)
    }

    /// A `LeaseKeepAlive` stream (bidirectional): sends `request`, then hands the responses to
    /// `body`; the stream is cancelled when `body` returns.
    func leaseKeepAlive<Result>(
        _ request: EtcdRPC.LeaseKeepAliveRequest,
        body: (EtcdResponseStream<EtcdRPC.LeaseKeepAliveResponse>) async throws -> Result
    ) async throws -> Result {
        let path = "/etcdserverpb.Lease/LeaseKeepAlive"
        return try await connection.bidirectionalStreaming(path: path) { writer, responses in
            try await writer.send(request.serializedBytes())
            return try await body(EtcdResponseStream(messages: responses, path: path))
        }
    }
}
