import GRPCTransport
import KubeStore

/// Recognises etcd's gRPC errors (see etcd's `api/v3rpc/rpctypes/error.go`; the messages are
/// stable across v3.4–v3.6).
enum EtcdErrors {
    /// `etcdserver: mvcc: required revision has been compacted` (OutOfRange).
    static func isCompacted(_ error: GRPCError) -> Bool {
        error.message.contains("required revision has been compacted")
    }

    /// `etcdserver: mvcc: required revision is a future revision` (OutOfRange).
    static func isFutureRevision(_ error: GRPCError) -> Bool {
        error.message.contains("required revision is a future revision")
    }

    /// `etcdserver: requested lease not found` (NotFound).
    static func isLeaseNotFound(_ error: GRPCError) -> Bool {
        error.message.contains("requested lease not found")
    }

    static func backend(_ error: GRPCError) -> StoreError {
        .backend("etcd: \(error.code): \(error.message)")
    }
}
