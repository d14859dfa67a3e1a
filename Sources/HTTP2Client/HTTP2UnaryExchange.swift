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

/// The receiver of a stream that carries one request and reads its whole response: completes
/// `response` when the response ends, or fails it when the stream is reset or closes first.
/// Lives on the connection's event loop.
final class HTTP2UnaryExchange: HTTP2StreamReceiver {
    let response: EventLoopPromise<HTTP2UnaryResponse>
    /// The stream, once opened (the caller resets it when cancelled).
    var streamID: HTTP2StreamID?
    /// Whether the request's HEADERS reached the socket: a stream that fails before that sent
    /// nothing, and the request may be retried.
    var headersWritten = false
    private var done = false
    private var headers: HPACKHeaders?
    private var body: ByteBuffer?

    init(response: EventLoopPromise<HTTP2UnaryResponse>) {
        self.response = response
    }

    /// Opens the stream on `table` and writes the request, flushed.
    func start(on table: HTTP2StreamTable, headers requestHeaders: HPACKHeaders, body requestBody: ByteBuffer?, eventLoop: any EventLoop) {
        let headersWritten = eventLoop.makePromise(of: Void.self)
        let exchange = NIOLoopBound(self, eventLoop: eventLoop)
        headersWritten.futureResult.whenComplete { result in
            switch result {
            case .success: exchange.value.headersWritten = true
            case .failure(let error): exchange.value.failUnsent(error)
            }
        }
        let headersFrame = HTTP2Frame.FramePayload.headers(.init(headers: requestHeaders, endStream: requestBody == nil))
        guard let id = table.open(self, headers: headersFrame, written: headersWritten) else { return }
        streamID = id
        if let requestBody {
            let written = eventLoop.makePromise(of: Void.self)
            table.write(.data(.init(data: .byteBuffer(requestBody), endStream: true)), on: id, promise: written)
            written.futureResult.whenFailure { error in
                exchange.value.fail(HTTP2StreamError(message: "sending failed: \(error)"))
            }
        }
        table.flush()
    }

    func receive(_ payload: HTTP2Frame.FramePayload) -> Bool {
        guard !done else { return true }
        switch payload {
        case .headers(let frame):
            if headers == nil {
                let status = frame.headers.first(name: ":status").flatMap { Int($0) }
                guard let status else {
                    fail(HTTP2StreamError(message: "response without :status"))
                    return true
                }
                // Informational responses (1xx) precede the final one.
                if (100..<200).contains(status) { return true }
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
        return true
    }

    func streamClosed(reason: HTTP2ErrorCode?, error: (any Error)?) {
        if let error = error as? HTTP2ConnectionError {
            failUnsent(error)
        } else if let error {
            fail(HTTP2StreamError(message: "\(error)"))
        } else if let reason {
            fail(HTTP2StreamError(message: "stream reset (\(reason))"))
        } else {
            fail(HTTP2StreamError(message: "the stream closed before the response ended"))
        }
    }

    /// The request never left: the caller may send it again.
    private func failUnsent(_ error: any Error) {
        guard !done else { return }
        done = true
        response.fail(error as? HTTP2ConnectionError ?? HTTP2ConnectionError(message: "the request was not sent: \(error)"))
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
        if !headersWritten {
            // Failed before its HEADERS reached the socket (the connection closed meanwhile).
            failUnsent(error)
            return
        }
        done = true
        response.fail(error)
    }
}
