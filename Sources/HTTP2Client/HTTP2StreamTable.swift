import NIOCore
import NIOHTTP2

/// What the connection's stream table tells one stream: its frames, and its end.
/// Called on the connection's event loop only.
protocol HTTP2StreamReceiver: AnyObject {
    /// A frame of the stream (HEADERS, DATA, RST_STREAM, …). Returns false when the receiver's
    /// buffer is full: the table then withholds the stream's flow-control credit until
    /// ``HTTP2StreamTable/resume(_:)``.
    func receive(_ payload: HTTP2Frame.FramePayload) -> Bool
    /// The stream is closed (`reason` is the RST_STREAM code, nil for both sides having ended),
    /// or it could not be used (`error`); called once, after which the table forgets it.
    func streamClosed(reason: HTTP2ErrorCode?, error: (any Error)?)
}

/// The client side of an HTTP/2 connection at the frame level, right after `NIOHTTP2Handler`
/// (which keeps the protocol's state machines, HPACK and outbound flow control): gives streams
/// their IDs, routes each inbound frame to its stream's receiver, and grants inbound
/// flow-control credit (WINDOW_UPDATE) for the connection and for each stream as
/// `NIOHTTP2Handler`'s inbound multiplexers do.
///
/// It replaces swift-nio-http2's stream multiplexer, which builds a child channel with its own
/// pipeline for every stream: an API client sends thousands of short requests a second, and
/// making, activating and flushing those channels was a fifth of a client's CPU.
final class HTTP2StreamTable: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private struct Entry {
        let receiver: any HTTP2StreamReceiver
        /// The stream's inbound window as last reported, when credit is being withheld.
        var withheldWindow: Int?
        var paused = false
    }

    private var streams: [HTTP2StreamID: Entry] = [:]
    private var nextStreamID = HTTP2StreamID(1)
    private var context: ChannelHandlerContext?
    /// Why no new stream can be opened (the connection closed, or the server sent GOAWAY).
    private var refusal: String?
    private let targetWindow: Int
    private let flusher = FlushCoalescer()
    /// Told once when the server sends GOAWAY: no new streams; the connection closes once the
    /// streams it still carries have ended.
    private let onGoAway: () -> Void

    init(targetWindow: Int, onGoAway: @escaping () -> Void) {
        self.targetWindow = targetWindow
        self.onGoAway = onGoAway
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: - Streams

    /// Opens a stream for `receiver` by writing its HEADERS (not flushed); the stream's ID, or
    /// nil when the connection takes no new streams (`receiver` is then told so at once).
    /// `written` completes when the HEADERS reach the socket, or fails when they never do.
    func open(
        _ receiver: any HTTP2StreamReceiver, headers: HTTP2Frame.FramePayload, written: EventLoopPromise<Void>?
    ) -> HTTP2StreamID? {
        guard let context, refusal == nil else {
            let error = HTTP2ConnectionError(message: refusal ?? "the connection is closed")
            written?.fail(error)
            receiver.streamClosed(reason: nil, error: error)
            return nil
        }
        let id = nextStreamID
        nextStreamID = HTTP2StreamID(Int(nextStreamID) + 2)
        streams[id] = Entry(receiver: receiver)
        context.write(wrapOutboundOut(HTTP2Frame(streamID: id, payload: headers)), promise: written)
        return id
    }

    /// Writes one more frame of an open stream (not flushed); fails `promise` when the stream
    /// is gone.
    func write(_ payload: HTTP2Frame.FramePayload, on id: HTTP2StreamID, promise: EventLoopPromise<Void>?) {
        guard let context, streams[id] != nil else {
            promise?.fail(NIOHTTP2Errors.noSuchStream(streamID: id))
            return
        }
        context.write(wrapOutboundOut(HTTP2Frame(streamID: id, payload: payload)), promise: promise)
    }

    /// Flushes soon, with the other streams' frames written meanwhile.
    func flush() {
        if let context { flusher.flushSoon(context) }
    }

    /// Resets a stream that is still open (the caller gave up on it) and forgets it; its
    /// receiver is told nothing more.
    func reset(_ id: HTTP2StreamID) {
        guard streams.removeValue(forKey: id) != nil, let context else { return }
        context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .rstStream(.cancel))), promise: nil)
        closeIfDrained()
    }

    /// The receiver of `id` has room again: grants the credit withheld meanwhile.
    func resume(_ id: HTTP2StreamID) {
        guard var entry = streams[id], entry.paused else { return }
        entry.paused = false
        let window = entry.withheldWindow
        entry.withheldWindow = nil
        streams[id] = entry
        if let window { grant(window: window, on: id) }
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .goAway(let lastStreamID, _, _):
            goAway(lastStreamID: lastStreamID)
            return
        case .settings, .ping, .windowUpdate, .priority, .alternativeService, .origin:
            return
        default:
            break
        }
        guard var entry = streams[frame.streamID] else { return }
        if !entry.receiver.receive(frame.payload), !entry.paused {
            entry.paused = true
            streams[frame.streamID] = entry
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let event as NIOHTTP2WindowUpdatedEvent:
            guard let window = event.inboundWindowSize else { break }
            if event.streamID == .rootStream {
                grant(window: window, on: .rootStream)
            } else if var entry = streams[event.streamID] {
                if entry.paused {
                    entry.withheldWindow = window
                    streams[event.streamID] = entry
                } else {
                    grant(window: window, on: event.streamID)
                }
            }
        case let event as StreamClosedEvent:
            if let entry = streams.removeValue(forKey: event.streamID) {
                entry.receiver.streamClosed(reason: event.reason, error: nil)
                closeIfDrained()
            }
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let streamError = error as? NIOHTTP2Errors.StreamError,
           let entry = streams.removeValue(forKey: streamError.streamID) {
            entry.receiver.streamClosed(reason: nil, error: streamError.baseError)
            closeIfDrained()
            return
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        refusal = "the connection is closed"
        let ended = streams
        streams = [:]
        for entry in ended.values {
            entry.receiver.streamClosed(reason: nil, error: HTTP2StreamError(message: "the connection closed"))
        }
        context.fireChannelInactive()
    }

    /// GOAWAY: no new streams; the streams the server will not process (above `lastStreamID`,
    /// RFC 9113 §6.8) fail as never sent, so their requests may be sent again elsewhere.
    private func goAway(lastStreamID: HTTP2StreamID) {
        let refused = streams.keys.filter { $0 > lastStreamID }
        for id in refused {
            streams.removeValue(forKey: id)?.receiver.streamClosed(
                reason: .refusedStream,
                error: HTTP2ConnectionError(message: "the server did not take the stream (GOAWAY)"))
        }
        if refusal == nil {
            refusal = "the server is closing the connection (GOAWAY)"
            onGoAway()
        }
        closeIfDrained()
    }

    /// After GOAWAY, the connection closes with its last stream.
    private func closeIfDrained() {
        guard refusal != nil, streams.isEmpty, let context, context.channel.isActive else { return }
        context.close(promise: nil)
    }

    // MARK: - Flow control

    /// Sends a WINDOW_UPDATE once the inbound window is down to half the target (or less), back
    /// up to the target: the policy of swift-nio-http2's own inbound window manager.
    private func grant(window: Int, on id: HTTP2StreamID) {
        guard let increment = HTTP2InboundWindow.increment(window: window, target: targetWindow), let context else { return }
        context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .windowUpdate(windowSizeIncrement: increment))), promise: nil)
    }
}
