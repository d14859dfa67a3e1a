import NIOCore
import NIOHTTP2

/// Answers the server's HTTP/2 PING frames itself, in front of `NIOHTTP2Handler`.
///
/// grpc-go servers (etcd) send a BDP-estimation PING after receiving data, i.e. about one per
/// RPC. swift-nio-http2 1.46 rate-limits inbound control frames (200 per 30 s, apple/swift-nio-http2
/// PR #561) and closes the connection with ENHANCE_YOUR_CALM beyond that (raising the limit makes
/// it keep a timestamp per frame). This handler ACKs each non-ACK PING (echoing its payload, as
/// RFC 9113 §6.7 requires) and removes it from the inbound byte stream, so the HTTP/2 handler never
/// counts it. Every other frame passes through unchanged.
///
/// Must sit where it sees the plaintext HTTP/2 frame stream: right before `NIOHTTP2Handler`
/// (after a TLS handler, when there is one).
final class ServerPingResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private static let frameHeaderLength = 9
    private static let pingFrameLength = 9 + 8
    private static let pingType: UInt8 = 6
    private static let ackFlag: UInt8 = 1

    /// Bytes of the current frame's header (and PING payload) collected at a frame boundary.
    private var header = ByteBuffer()
    /// Bytes of the current, forwarded frame's payload still to pass through.
    private var remaining = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var input = Self.unwrapInboundIn(data)
        var forward = context.channel.allocator.buffer(capacity: input.readableBytes)
        var acks: ByteBuffer?
        while input.readableBytes > 0 {
            if remaining > 0 {
                let count = min(remaining, input.readableBytes)
                forward.writeImmutableBuffer(input.readSlice(length: count)!)
                remaining -= count
                continue
            }
            let wanted = isPing ? Self.pingFrameLength : Self.frameHeaderLength
            let count = min(wanted - header.readableBytes, input.readableBytes)
            header.writeImmutableBuffer(input.readSlice(length: count)!)
            guard header.readableBytes >= Self.frameHeaderLength else { continue }
            if isPing {
                guard header.readableBytes == Self.pingFrameLength else { continue }
                var ack = header
                ack.setInteger(Self.ackFlag, at: ack.readerIndex + 4)
                if acks == nil { acks = context.channel.allocator.buffer(capacity: Self.pingFrameLength) }
                acks!.writeBuffer(&ack)
            } else {
                remaining = frameLength
                forward.writeBuffer(&header)
            }
            header.clear()
        }
        if forward.readableBytes > 0 {
            context.fireChannelRead(Self.wrapInboundOut(forward))
        }
        if let acks {
            context.writeAndFlush(NIOAny(acks), promise: nil)
        }
    }

    /// Payload length of the frame whose header is in `header`.
    private var frameLength: Int {
        let bytes = header.getBytes(at: header.readerIndex, length: 3)!
        return Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
    }

    /// Whether `header` holds a complete frame header of a non-ACK, 8-byte PING on stream 0.
    private var isPing: Bool {
        guard header.readableBytes >= Self.frameHeaderLength,
              let type: UInt8 = header.getInteger(at: header.readerIndex + 3),
              let flags: UInt8 = header.getInteger(at: header.readerIndex + 4)
        else { return false }
        return type == Self.pingType && flags & Self.ackFlag == 0 && frameLength == 8
    }
}
