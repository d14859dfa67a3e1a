import GRPCTransport

/// Client of etcd's `etcdserverpb.Watch` service.
struct EtcdWatch: Sendable {
    let connection: GRPCConnection

    /// A `Watch` stream (bidirectional): sends `request` and hands the responses to `body`. The
    /// request side stays open meanwhile (etcd ends the watches of a stream whose requests end);
    /// the stream is cancelled when `body` returns.
    func watch<Result>(
        _ request: EtcdRPC.WatchRequest,
        body: (EtcdResponseStream<EtcdRPC.WatchResponse>) async throws -> Result
    ) async throws -> Result {
        let path = "/etcdserverpb.Watch/Watch"
        return try await connection.bidirectionalStreaming(path: path) { writer, responses in
            try await writer.send(request.serializedBytes())
            return try await body(EtcdResponseStream(messages: responses, path: path))
        }
    }
}
