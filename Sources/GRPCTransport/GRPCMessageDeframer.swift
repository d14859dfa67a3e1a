import NIOCore

/// Splits the bytes of a response's DATA frames into gRPC messages (see ``GRPCMessageFramer``),
/// however the frames cut them.
struct GRPCMessageDeframer {
    private var buffer = ByteBuffer()

    /// Whether part of a message is still waiting for more bytes.
    var hasPartialMessage: Bool { buffer.readableBytes > 0 }

    mutating func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            buffer.writeBuffer(&bytes)
        }
    }

    /// The next complete message, or nil until more bytes arrive.
    mutating func next() throws(GRPCError) -> [UInt8]? {
        guard let flag: UInt8 = buffer.getInteger(at: buffer.readerIndex),
              let length: UInt32 = buffer.getInteger(at: buffer.readerIndex + 1)
        else { return nil }
        guard flag == 0 else {
            throw GRPCError(code: .internal, message: "received a compressed message, but no compression was negotiated")
        }
        guard buffer.readableBytes - GRPCMessageFramer.prefixLength >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: GRPCMessageFramer.prefixLength)
        let message = buffer.readBytes(length: Int(length))!
        if buffer.readableBytes == 0 { buffer.clear() }
        return message
    }
}
