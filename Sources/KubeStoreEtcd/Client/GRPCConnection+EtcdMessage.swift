import GRPCTransport
import ProtobufWire

extension GRPCConnection {
    /// A unary call with etcd messages.
    func unary<Response: EtcdMessage>(
        _ path: String, _ request: some EtcdMessage, timeout: Duration? = nil,
        as response: Response.Type = Response.self
    ) async throws -> Response {
        let bytes = try await unary(path: path, request: request.serializedBytes(), timeout: timeout)
        return try Response(decodingResponse: bytes[...], path: path)
    }
}

extension EtcdMessage {
    /// Decodes a response message, reporting malformed bytes as an `internal` gRPC error.
    init(decodingResponse bytes: ArraySlice<UInt8>, path: String) throws(GRPCError) {
        do {
            try self.init(serializedBytes: bytes)
        } catch {
            throw GRPCError(code: .internal, message: "\(path): cannot decode \(Self.self): \(error)")
        }
    }
}
