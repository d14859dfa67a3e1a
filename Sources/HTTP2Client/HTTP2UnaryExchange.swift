import NIOCore
import NIOHPACK
import NIOHTTP2

/// A complete response: its final (non-1xx) headers and its whole body.
public struct HTTP2UnaryResponse: Sendable {
    public var headers: HPACKHeaders
    public var body: ByteBuffer
}

/// The stream failed after it was opened: the request may have been sent in part or whole.
public struct HTTP2StreamError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The only handler of a stream that carries one request and reads its whole response: sends the
/// request's frames when the stream becomes active and completes `response` when the response
/// ends, or fails it when the stream is reset or closes first. It replaces an `NIOAsyncChannel`
/// per stream for the common request/response exchange.
final class HTTP2UnaryExchange: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let requestHeaders: HPACKHeaders
    private let requestBody: ByteBuffer?
    let response: EventLoopPromise<HTTP2UnaryResponse>
    private var sent = false
    private var done = false
    private var headers: HPACKHeaders?
    private var body: ByteBuffer?

    init(headers: HPACKHeaders, body: ByteBuffer?, response: EventLoopPromise<HTTP2UnaryResponse>) {
        self.requestHeaders = headers
        self.requestBody = body
        self.response = response
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { send(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    private func send(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        let headersFrame = HTTP2Frame.FramePayload.headers(.init(headers: requestHeaders, endStream: requestBody == nil))
        context.write(wrapOutboundOut(headersFrame), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        if let requestBody {
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(requestBody), endStream: true))), promise: written)
        } else {
            written.succeed()
        }
        context.flush()
        let exchange = NIOLoopBound(self, eventLoop: context.eventLoop)
        written.futureResult.whenFailure { error in
            exchange.value.fail(HTTP2StreamError(message: "sending failed: \(error)"))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .headers(let frame):
            if headers == nil {
                let status = frame.headers.first(name: ":status").flatMap { Int($0) }
                guard let status else {
                    fail(HTTP2StreamError(message: "response without :status"))
                    context.close(promise: nil)
                    return
                }
                // Informational responses (1xx) precede the final one.
                if (100..<200).contains(status) { return }
                headers = frame.headers
            }
            if frame.endStream { succeed() }
        case .data(let frame):
            if case .byteBuffer(var chunk) = frame.data, chunk.readableBytes > 0 {
                if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
            }
            if frame.endStream { succeed() }
        case .rstStream(let code):
            fail(HTTP2StreamError(message: "stream reset (\(code))"))
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(HTTP2StreamError(message: "the stream closed before the response ended"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(HTTP2StreamError(message: "\(error)"))
        context.close(promise: nil)
    }

    private func succeed() {
        guard !done, let headers else {
            fail(HTTP2StreamError(message: "the stream ended without a response"))
            return
        }
        done = true
        response.succeed(HTTP2UnaryResponse(headers: headers, body: body ?? ByteBuffer()))
    }

    private func fail(_ error: HTTP2StreamError) {
        guard !done else { return }
        done = true
        response.fail(error)
    }
}
