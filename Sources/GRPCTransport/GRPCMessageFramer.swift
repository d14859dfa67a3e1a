import NIOCore

/// gRPC's length-prefixed message framing: a compressed flag (always 0 here: this client never
/// negotiates compression), a 4-byte big-endian length, then the message.
enum GRPCMessageFramer {
    static let prefixLength = 5

    static func frame(_ message: some Collection<UInt8>, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: prefixLength + message.count)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(message.count))
        buffer.writeBytes(message)
        return buffer
    }
}
