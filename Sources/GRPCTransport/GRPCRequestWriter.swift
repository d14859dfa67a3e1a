import HTTP2Client
import NIOCore
import NIOHTTP2

/// Sends a call's request messages (each as one length-prefixed DATA frame).
public struct GRPCRequestWriter: Sendable {
    let outbound: HTTP2StreamOutbound
    let path: String

    /// Sends one message; `isLast` also ends the request side (END_STREAM).
    public func send(_ message: [UInt8], isLast: Bool = false) async throws {
        try await write(GRPCMessageFramer.frame(message), endStream: isLast)
    }

    /// Ends the request side without sending another message.
    public func finish() async throws {
        try await write(ByteBuffer(), endStream: true)
    }

    private func write(_ bytes: ByteBuffer, endStream: Bool) async throws {
        do {
            try await outbound.write(.data(.init(data: .byteBuffer(bytes), endStream: endStream)))
        } catch {
            throw GRPCError(code: .unavailable, message: "\(path): cannot send a request message: \(error)")
        }
    }
}
