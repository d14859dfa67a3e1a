import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHPACK
import NIOHTTP2
import Synchronization

/// One complete request read from an HTTP/2 stream: its head, its body (bounded), the
/// connection it came on, the stream the response goes to, and a signal that fires when that
/// stream closes (the client reset it or went away).
struct HTTP2StreamRequest: Sendable {
    let head: HTTPRequest
    let body: ByteBuffer
    let connection: any Channel
    let stream: HTTP2ResponseStream
    let closed: ConnectionClosedSignal
}

extension HTTPRequest {
    /// A request head from HTTP/2 header fields (RFC 9113 §8.3): the pseudo-header fields
    /// first, each at most once, `:method` required; then the regular fields.
    init(http2Headers headers: HPACKHeaders) throws(HTTP2HeadersError) {
        var method: String?
        var scheme: String?
        var authority: String?
        var path: String?
        var fields = HTTPFields()
        var regular = false
        for (name, value, _) in headers {
            if name.utf8.first == UInt8(ascii: ":") {
                if regular { throw .pseudoFieldAfterRegular }
                switch name {
                case ":method": if method != nil { throw .repeated(name) }; method = value
                case ":scheme": if scheme != nil { throw .repeated(name) }; scheme = value
                case ":authority": if authority != nil { throw .repeated(name) }; authority = value
                case ":path": if path != nil { throw .repeated(name) }; path = value
                default: throw .unknownPseudoField(name)
                }
                continue
            }
            regular = true
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        guard let method, let parsed = HTTPRequest.Method(method) else { throw .missingMethod }
        self.init(method: parsed, scheme: scheme, authority: authority, path: path, headerFields: fields)
    }
}

/// Why a stream's request headers do not make a request.
enum HTTP2HeadersError: Error {
    case pseudoFieldAfterRegular
    case repeated(String)
    case unknownPseudoField(String)
    case missingMethod
}

extension HPACKHeaders {
    /// A response head as HTTP/2 header fields: `:status`, then the fields (names lowercase).
    init(response: HTTPResponse) {
        self.init()
        reserveCapacity(response.headerFields.count + 1)
        add(name: ":status", value: String(response.status.code))
        for field in response.headerFields {
            add(name: field.name.canonicalName, value: field.value)
        }
    }
}

/// Writes a response to an HTTP/2 stream from any task (on the connection's event loop, directly
/// when already there). A body of known length is sent with its head and end in one flush; a
/// streamed body (a watch) sends the head at once and flushes every write, waiting for writes to
/// reach the socket while more than ``maxUnwritten`` bytes of it are still queued.
struct HTTP2StreamResponseWriter: ResponseBodyWriter {
    let stream: HTTP2ResponseStream
    let head: HTTPResponse
    /// Whether the head was sent already (streamed bodies only).
    private var headSent = false
    /// The body of a response of known length, sent at `finish`.
    private var buffered: ByteBuffer?
    private let streamed: Bool
    private let omitBody: Bool
    /// Bytes of a streamed body written but not yet on the socket (streamed bodies only).
    private let unwritten: UnwrittenBytes?

    static let maxUnwritten = 1 << 20

    init(stream: HTTP2ResponseStream, head: HTTPResponse, streamed: Bool, omitBody: Bool) {
        self.stream = stream
        self.head = head
        self.streamed = streamed
        self.omitBody = omitBody
        self.unwritten = streamed ? UnwrittenBytes() : nil
    }

    /// Sends the head of a streamed body now, so the client sees the response before any event.
    mutating func start() async throws {
        guard streamed, !headSent else { return }
        headSent = true
        try await send([.headers(.init(headers: HPACKHeaders(response: head)))], wait: false)
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
        try await send([.data(.init(data: .byteBuffer(buffer)))], wait: (unwritten?.count ?? 0) > Self.maxUnwritten)
    }

    consuming func finish(_ trailers: HTTPFields?) async throws {
        var frames: [HTTP2Frame.FramePayload] = []
        if !streamed {
            frames.append(.headers(.init(headers: HPACKHeaders(response: head), endStream: buffered == nil && trailers == nil)))
            if let buffered { frames.append(.data(.init(data: .byteBuffer(buffered), endStream: trailers == nil))) }
        } else if trailers == nil {
            frames.append(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
        }
        if let trailers {
            var fields = HPACKHeaders()
            for field in trailers { fields.add(name: field.name.canonicalName, value: field.value) }
            frames.append(.headers(.init(headers: fields, endStream: true)))
        }
        try await send(frames, wait: false)
    }

    /// Writes `frames` and flushes once, on the connection's event loop. Waits for the last
    /// write to complete only when `wait` is set (back-pressure); otherwise a failed write shows
    /// as the stream closing.
    private func send(_ frames: [HTTP2Frame.FramePayload], wait: Bool) async throws {
        let stream = stream
        let loop = stream.table.eventLoop
        let unwritten = unwritten
        let bytes = frames.reduce(0) { total, frame in
            if case .data(let data) = frame { return total + data.data.readableBytes }
            return total
        }
        let counted = bytes > 0 ? unwritten : nil
        let promise: EventLoopPromise<Void>? = wait || counted != nil ? loop.makePromise() : nil
        if let counted, let promise {
            counted.add(bytes)
            promise.futureResult.whenComplete { _ in counted.add(-bytes) }
        }
        let write: @Sendable () -> Void = {
            let table = stream.table.value
            guard table.isOpen(stream.id) else {
                promise?.fail(ChannelError.ioOnClosedChannel)
                return
            }
            for (index, frame) in frames.enumerated() {
                let last = index == frames.count - 1
                table.write(frame, on: stream.id, flush: last, promise: last ? promise : nil)
            }
        }
        if loop.inEventLoop {
            write()
        } else {
            loop.execute(write)
        }
        if wait { try await promise?.futureResult.get() }
    }
}

/// A count of bytes queued on a stream and not yet written, shared by a writer's copies.
final class UnwrittenBytes: Sendable {
    private let bytes = Atomic<Int>(0)

    var count: Int { bytes.load(ordering: .relaxed) }

    func add(_ delta: Int) {
        bytes.add(delta, ordering: .relaxed)
    }
}
