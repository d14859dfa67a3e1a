import HTTP2Client
import NIOCore
import NIOHPACK
import NIOHTTP2

extension GRPCConnection {
    /// A unary call: one request message, one response message.
    ///
    /// - Parameters:
    ///   - path: `/package.Service/Method`.
    ///   - timeout: sent as `grpc-timeout`; the server ends the call with `DEADLINE_EXCEEDED`.
    public func unary(path: String, request: [UInt8], timeout: Duration? = nil) async throws -> [UInt8] {
        try await withCall(path: path, timeout: timeout) { writer, responses in
            try await writer.send(request, isLast: true)
            var iterator = responses.makeAsyncIterator()
            guard let response = try await iterator.next() else {
                throw GRPCError(code: .internal, message: "\(path): the server sent no response message")
            }
            guard try await iterator.next() == nil else {
                throw GRPCError(code: .internal, message: "\(path): the server sent more than one response message")
            }
            return response
        }
    }

    /// A server-streaming call: sends `request`, then hands the response messages to `body`.
    /// Returning from `body` before the responses end cancels the call.
    public func serverStreaming<Result>(
        path: String, request: [UInt8], timeout: Duration? = nil,
        body: (GRPCResponseMessages) async throws -> Result
    ) async throws -> Result {
        try await withCall(path: path, timeout: timeout) { writer, responses in
            try await writer.send(request, isLast: true)
            return try await body(responses)
        }
    }

    /// A bidirectional-streaming (or client-streaming) call: `body` sends request messages with the
    /// writer (ending the request side with ``GRPCRequestWriter/finish()`` or a last message) while
    /// it reads the responses. Returning from `body` before the call ends cancels it (RST_STREAM).
    public func bidirectionalStreaming<Result>(
        path: String, timeout: Duration? = nil,
        body: (GRPCRequestWriter, GRPCResponseMessages) async throws -> Result
    ) async throws -> Result {
        try await withCall(path: path, timeout: timeout, body: body)
    }

    /// The request headers of a call, pseudo-headers first (gRPC over HTTP/2, PROTOCOL-HTTP2.md).
    static func requestHeaders(path: String, authority: String, timeout: Duration?) -> HPACKHeaders {
        var headers: HPACKHeaders = [
            ":method": "POST", ":scheme": "http", ":path": path, ":authority": authority,
            "content-type": "application/grpc", "te": "trailers",
        ]
        if let timeout { headers.add(name: "grpc-timeout", value: GRPCTimeout.headerValue(timeout)) }
        headers.add(name: "user-agent", value: "skiff-grpc-transport")
        return headers
    }

    /// Opens a stream for one call, sends its headers, and runs `body`; the stream is closed (reset,
    /// when the call has not ended) when `body` returns or throws.
    private func withCall<Result>(
        path: String, timeout: Duration?,
        body: (GRPCRequestWriter, GRPCResponseMessages) async throws -> Result
    ) async throws -> Result {
        let headers = Self.requestHeaders(path: path, authority: authority, timeout: timeout)
        do {
            return try await connection.withStream(headers: headers) { inbound, outbound in
                try await body(
                    GRPCRequestWriter(outbound: outbound, path: path), GRPCResponseMessages(inbound: inbound, path: path))
            }
        } catch let error as HTTP2ConnectionError {
            throw GRPCError(code: .unavailable, message: "\(path): \(error.message)")
        }
    }
}
