import GRPCTransport

/// Client of etcd's `etcdserverpb.Maintenance` service (the two calls Skiff uses).
struct EtcdMaintenance: Sendable {
    let connection: GRPCConnection

    func status() async throws -> EtcdRPC.StatusResponse {
        try await connection.unary("/etcdserverpb.Maintenance/Status", EtcdRPC.StatusRequest())
    }

    func defragment() async throws -> EtcdRPC.DefragmentResponse {
        try await connection.unary("/etcdserverpb.Maintenance/Defragment", EtcdRPC.DefragmentRequest())
    }
}
