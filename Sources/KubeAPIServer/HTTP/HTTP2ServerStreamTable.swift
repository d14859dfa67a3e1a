import HTTP2Client
import HTTPTypes
import NIOCore
import NIOHPACK
import NIOHTTP2

/// The server side of an HTTP/2 connection at the frame level, right after `NIOHTTP2Handler`
/// (which keeps the protocol's state machines, HPACK and outbound flow control): collects each
/// stream's request (head and body, the body bounded) and hands it whole to the connection's
/// task (``SecureHTTPChannel``), writes the responses' frames, tells each request when its
/// stream closes, and grants inbound flow-control credit as `NIOHTTP2Handler`'s multiplexers do.
///
/// It replaces swift-nio-http2's stream multiplexer, which builds a child channel with its own
/// pipeline (and HTTP/2-to-HTTP codec) for every stream: every API request is a stream.
final class HTTP2ServerStreamTable: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private struct Incoming {
        var head: HTTPRequest?
        var body: ByteBuffer?
        let closed = ConnectionClosedSignal()
    }

    private var streams: [HTTP2StreamID: Incoming] = [:]
    private var context: ChannelHandlerContext?
    private let requests: AsyncStream<HTTP2StreamRequest>.Continuation
    /// Bytes kept beyond which a body is cut off: one more than the limit, so that reading the
    /// body still reports it as too large.
    private let keepBytes: Int
    private let targetWindow: Int
    private let flusher = FlushCoalescer()

    init(requests: AsyncStream<HTTP2StreamRequest>.Continuation, bodyLimit: Int, targetWindow: Int) {
        self.requests = requests
        self.keepBytes = bodyLimit + 1
        self.targetWindow = targetWindow
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: - Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let id = frame.streamID
        switch frame.payload {
        case .headers(let headers):
            if var incoming = streams[id] {
                // Trailers: nothing of them is kept.
                if headers.endStream { complete(id, &incoming) }
                return
            }
            var incoming = Incoming()
            guard let head = try? HTTPRequest(http2Headers: headers.headers) else {
                streams[id] = incoming
                reset(id, code: .protocolError)
                return
            }
            incoming.head = head
            if headers.endStream { complete(id, &incoming) }
            streams[id] = incoming
        case .data(let data):
            guard var incoming = streams[id], incoming.head != nil else { return }
            if case .byteBuffer(var part) = data.data {
                if incoming.body == nil {
                    incoming.body = part
                } else if incoming.body!.readableBytes < keepBytes {
                    incoming.body!.writeBuffer(&part)
                }
            }
            if data.endStream { complete(id, &incoming) }
            streams[id] = incoming
        default:
            break
        }
    }

    /// Hands a request that has ended to the connection's task.
    private func complete(_ id: HTTP2StreamID, _ incoming: inout Incoming) {
        guard let head = incoming.head, let context else { return }
        let request = HTTP2StreamRequest(
            head: head, body: incoming.body ?? ByteBuffer(), connection: context.channel,
            stream: HTTP2ResponseStream(id: id, table: NIOLoopBound(self, eventLoop: context.eventLoop)),
            closed: incoming.closed)
        incoming.head = nil
        incoming.body = nil
        if case .terminated = requests.yield(request) {
            reset(id, code: .refusedStream)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let event as NIOHTTP2WindowUpdatedEvent:
            // Bodies are read whole as they come: credit is always granted.
            if let window = event.inboundWindowSize, event.streamID == .rootStream || streams[event.streamID] != nil {
                grant(window: window, on: event.streamID)
            }
        case let event as StreamClosedEvent:
            streams.removeValue(forKey: event.streamID)?.closed.fire()
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let streamError = error as? NIOHTTP2Errors.StreamError {
            // NIOHTTP2Handler has reset the stream already.
            streams.removeValue(forKey: streamError.streamID)?.closed.fire()
            return
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let ended = streams
        streams = [:]
        for incoming in ended.values { incoming.closed.fire() }
        context.fireChannelInactive()
    }

    // MARK: - Responses

    /// Writes one frame of a response and, when asked, flushes it soon (with the other responses
    /// written meanwhile); fails `promise` when the stream has closed (the client went away).
    func write(_ payload: HTTP2Frame.FramePayload, on id: HTTP2StreamID, flush: Bool, promise: EventLoopPromise<Void>?) {
        guard let context, streams[id] != nil else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(wrapOutboundOut(HTTP2Frame(streamID: id, payload: payload)), promise: promise)
        if flush { flusher.flushSoon(context) }
    }

    func isOpen(_ id: HTTP2StreamID) -> Bool {
        streams[id] != nil
    }

    private func reset(_ id: HTTP2StreamID, code: NIOHTTP2.HTTP2ErrorCode) {
        context?.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .rstStream(code))), promise: nil)
    }

    private func grant(window: Int, on id: HTTP2StreamID) {
        guard let increment = HTTP2InboundWindow.increment(window: window, target: targetWindow), let context else { return }
        context.writeAndFlush(
            wrapOutboundOut(HTTP2Frame(streamID: id, payload: .windowUpdate(windowSizeIncrement: increment))), promise: nil)
    }
}

/// Where a response goes: one stream of a connection, written on the connection's event loop.
struct HTTP2ResponseStream: Sendable {
    let id: HTTP2StreamID
    let table: NIOLoopBound<HTTP2ServerStreamTable>
}
