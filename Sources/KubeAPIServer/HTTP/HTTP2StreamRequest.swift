import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// One complete request read from an HTTP/2 stream: its head, its body (bounded) and the stream
/// channel the response goes to.
struct HTTP2StreamRequest: Sendable {
    let head: HTTPRequest
    let body: ByteBuffer
    let channel: any Channel
}

/// The handler at the end of each HTTP/2 stream's pipeline: collects the request's head and body
/// and, at the end of the stream's request, hands the whole request to the connection's task
/// (``SecureHTTPChannel``), which answers it on the stream.
///
/// This replaces an `NIOAsyncChannel` per stream: an API request is small and read whole before it
/// is handled (the body limit is checked when it is read), so there is nothing to stream in.
final class HTTP2StreamRequestCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart

    private let requests: AsyncStream<HTTP2StreamRequest>.Continuation
    /// Bytes kept beyond which the body is cut off: one more than the limit, so that reading the
    /// body still reports it as too large.
    private let keepBytes: Int
    private var head: HTTPRequest?
    private var body: ByteBuffer?

    init(requests: AsyncStream<HTTP2StreamRequest>.Continuation, bodyLimit: Int) {
        self.requests = requests
        self.keepBytes = bodyLimit + 1
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body(var part):
            if body == nil {
                body = part
            } else if body!.readableBytes < keepBytes {
                body!.writeBuffer(&part)
            }
        case .end:
            guard let head else {
                context.close(promise: nil)
                return
            }
            self.head = nil
            let request = HTTP2StreamRequest(
                head: head, body: body ?? ByteBuffer(), channel: context.channel)
            body = nil
            if case .terminated = requests.yield(request) {
                context.close(promise: nil)
            }
        }
    }
}

/// Writes a response to an HTTP/2 stream channel from any task. A body of known length is sent
/// with its head and end in one flush; a streamed body (a watch) sends the head at once and
/// flushes every write, waiting for the stream to drain when it is not writable.
struct HTTP2StreamResponseWriter: ResponseBodyWriter {
    let channel: any Channel
    let head: HTTPResponse
    /// Whether the head was sent already (streamed bodies only).
    private var headSent = false
    /// The body of a response of known length, sent at `finish`.
    private var buffered: ByteBuffer?
    private let streamed: Bool
    private let omitBody: Bool

    init(channel: any Channel, head: HTTPResponse, streamed: Bool, omitBody: Bool) {
        self.channel = channel
        self.head = head
        self.streamed = streamed
        self.omitBody = omitBody
    }

    /// Sends the head of a streamed body now, so the client sees the response before any event.
    mutating func start() async throws {
        guard streamed, !headSent else { return }
        headSent = true
        try await send([.head(head)], wait: false)
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard !omitBody else { return }
        guard streamed else {
            if buffered == nil {
                buffered = buffer
            } else {
                var more = buffer
                buffered!.writeBuffer(&more)
            }
            return
        }
        try await send([.body(buffer)], wait: !channel.isWritable)
    }

    consuming func finish(_ trailers: HTTPFields?) async throws {
        if streamed {
            try await send([.end(trailers)], wait: false)
            return
        }
        var parts: [HTTPResponsePart] = [.head(head)]
        if let buffered { parts.append(.body(buffered)) }
        parts.append(.end(trailers))
        try await send(parts, wait: false)
    }

    /// Writes `parts` and flushes once, on the channel's event loop (directly when already on
    /// it). Waits for the last write to complete only when `wait` is set (back-pressure);
    /// otherwise a failed write shows as the stream closing.
    private func send(_ parts: [HTTPResponsePart], wait: Bool) async throws {
        let channel = channel
        guard channel.isActive else { throw ChannelError.ioOnClosedChannel }
        let promise: EventLoopPromise<Void>? = wait ? channel.eventLoop.makePromise() : nil
        if channel.eventLoop.inEventLoop {
            Self.write(parts, to: channel, promise: promise)
        } else {
            channel.eventLoop.execute { Self.write(parts, to: channel, promise: promise) }
        }
        try await promise?.futureResult.get()
    }

    private static func write(_ parts: [HTTPResponsePart], to channel: any Channel, promise: EventLoopPromise<Void>?) {
        for (index, part) in parts.enumerated() {
            channel.write(part, promise: index == parts.count - 1 ? promise : nil)
        }
        channel.flush()
    }
}
