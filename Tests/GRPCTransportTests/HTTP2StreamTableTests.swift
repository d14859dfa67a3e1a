import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import HTTP2Client

@Suite struct HTTP2StreamTableTests {
    /// A connection whose pipeline is the table alone (frames in and out, as after
    /// `NIOHTTP2Handler`), with a target window of 1,000 bytes.
    final class Connection {
        let channel = EmbeddedChannel()
        let table: HTTP2StreamTable
        var goAways = 0

        init() throws {
            var told: (() -> Void)?
            table = HTTP2StreamTable(targetWindow: 1000) { told?() }
            told = { [unowned self] in self.goAways += 1 }
            try channel.pipeline.syncOperations.addHandler(table)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
        }

        /// Starts a unary exchange; its response.
        func unary(headers: HPACKHeaders, body: ByteBuffer?) -> (HTTP2UnaryExchange, EventLoopFuture<HTTP2UnaryResponse>) {
            let promise = channel.eventLoop.makePromise(of: HTTP2UnaryResponse.self)
            let exchange = HTTP2UnaryExchange(response: promise)
            exchange.start(on: table, headers: headers, body: body, eventLoop: channel.eventLoop)
            return (exchange, promise.futureResult)
        }

        /// The next frame sent (after the flushes scheduled on the loop).
        func sent() throws -> HTTP2Frame? {
            channel.embeddedEventLoop.run()
            return try channel.readOutbound(as: HTTP2Frame.self)
        }

        /// The next control frame sent, as `stream kind value`.
        func sentControl() throws -> String? {
            guard let frame = try sent() else { return nil }
            switch frame.payload {
            case .windowUpdate(let increment): return "\(Int(frame.streamID)) WINDOW_UPDATE \(increment)"
            case .rstStream(let code): return "\(Int(frame.streamID)) RST_STREAM \(code)"
            default: return "\(Int(frame.streamID)) other"
            }
        }

        func receive(_ payload: HTTP2Frame.FramePayload, on id: HTTP2StreamID) throws {
            try channel.writeInbound(HTTP2Frame(streamID: id, payload: payload))
        }
    }

    /// A receiver that records its frames and takes no more than `room` of them.
    final class Recorder: HTTP2StreamReceiver {
        var frames: [HTTP2Frame.FramePayload] = []
        var closed: HTTP2ErrorCode??
        var room = Int.max

        func receive(_ payload: HTTP2Frame.FramePayload) -> Bool {
            frames.append(payload)
            return frames.count < room
        }

        func streamClosed(reason: HTTP2ErrorCode?, error: (any Error)?) {
            closed = .some(reason)
        }
    }

    static let request: HPACKHeaders = [":method": "PUT", ":path": "/api/v1/namespaces/a/configmaps/b"]

    @Test func sendsTheRequestAndReadsTheWholeResponseAfterInformationalHeaders() async throws {
        let connection = try Connection()
        let (_, response) = connection.unary(headers: Self.request, body: ByteBuffer(string: "{}"))
        let headers = try #require(try connection.sent())
        guard case .headers(let sent) = headers.payload else {
            Issue.record("no HEADERS sent")
            return
        }
        #expect(headers.streamID == 1)
        #expect(sent.headers.first(name: ":method") == "PUT")
        #expect(!sent.endStream)
        guard case .data(let data)? = try connection.sent()?.payload, case .byteBuffer(let payload) = data.data else {
            Issue.record("no DATA sent")
            return
        }
        #expect(String(buffer: payload) == "{}")
        #expect(data.endStream)

        try connection.receive(.headers(.init(headers: [":status": "100"])), on: 1)
        try connection.receive(.headers(.init(headers: [":status": "200", "content-type": "application/json"])), on: 1)
        try connection.receive(.data(.init(data: .byteBuffer(ByteBuffer(string: "{\"a\":")))), on: 1)
        try connection.receive(.data(.init(data: .byteBuffer(ByteBuffer(string: "1}")), endStream: true)), on: 1)
        let result = try await response.get()
        #expect(result.headers.first(name: ":status") == "200")
        #expect(String(buffer: result.body) == "{\"a\":1}")
    }

    @Test func aRequestWithoutBodyEndsTheStreamWithItsHeadersAndStreamsCountUpByTwo() async throws {
        let connection = try Connection()
        let (_, first) = connection.unary(headers: [":method": "GET", ":path": "/version"], body: nil)
        let (_, second) = connection.unary(headers: [":method": "GET", ":path": "/healthz"], body: nil)
        let sent = [try connection.sent(), try connection.sent()]
        #expect(sent.map(\.?.streamID) == [1, 3])
        guard case .headers(let headers)? = sent[0]?.payload else {
            Issue.record("no HEADERS sent")
            return
        }
        #expect(headers.endStream)
        #expect(try connection.sent() == nil)
        // Responses are matched to their streams, whatever their order.
        try connection.receive(.headers(.init(headers: [":status": "200"], endStream: true)), on: 3)
        try connection.receive(.headers(.init(headers: [":status": "404"], endStream: true)), on: 1)
        #expect(try await first.get().headers.first(name: ":status") == "404")
        #expect(try await second.get().headers.first(name: ":status") == "200")
    }

    @Test func aResetOrAClosedConnectionFailsTheExchange() async throws {
        let connection = try Connection()
        let (_, reset) = connection.unary(headers: Self.request, body: nil)
        _ = try connection.sent()
        try connection.receive(.rstStream(.refusedStream), on: 1)
        connection.channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: 1, reason: .refusedStream))
        await #expect(throws: HTTP2StreamError.self) { try await reset.get() }

        let (_, cut) = connection.unary(headers: Self.request, body: nil)
        _ = try connection.sent()
        try connection.receive(.headers(.init(headers: [":status": "200"])), on: 3)
        try await connection.channel.close()
        await #expect(throws: HTTP2StreamError.self) { try await cut.get() }
    }

    /// A request whose HEADERS never left (the connection closed before the flush) may be sent
    /// again.
    @Test func anUnflushedRequestFailsAsNotSent() async throws {
        let connection = try Connection()
        let (_, response) = connection.unary(headers: Self.request, body: nil)
        try await connection.channel.close()
        await #expect(throws: HTTP2ConnectionError.self) { try await response.get() }
    }

    @Test func aClosedConnectionRefusesNewStreamsAsNotSent() async throws {
        let connection = try Connection()
        try await connection.channel.close()
        let (_, response) = connection.unary(headers: Self.request, body: nil)
        await #expect(throws: HTTP2ConnectionError.self) { try await response.get() }
    }

    @Test func goAwayRefusesNewStreamsAndClosesWithTheLastOne() async throws {
        let connection = try Connection()
        let (_, inFlight) = connection.unary(headers: Self.request, body: nil)
        let (_, unprocessed) = connection.unary(headers: Self.request, body: nil)
        _ = try connection.sent()
        // The server will answer stream 1 but never looked at stream 3: that one may be retried.
        try connection.receive(.goAway(lastStreamID: 1, errorCode: .noError, opaqueData: nil), on: .rootStream)
        #expect(connection.goAways == 1)
        await #expect(throws: HTTP2ConnectionError.self) { try await unprocessed.get() }
        let (_, refused) = connection.unary(headers: Self.request, body: nil)
        await #expect(throws: HTTP2ConnectionError.self) { try await refused.get() }
        #expect(connection.channel.isActive)
        try connection.receive(.headers(.init(headers: [":status": "200"], endStream: true)), on: 1)
        connection.channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: 1, reason: nil))
        #expect(try await inFlight.get().headers.first(name: ":status") == "200")
        #expect(!connection.channel.isActive)
    }

    @Test func creditIsGrantedBelowHalfTheTargetAndWithheldWhileAReceiverIsFull() throws {
        let connection = try Connection()
        connection.channel.pipeline.fireUserInboundEventTriggered(
            NIOHTTP2WindowUpdatedEvent(streamID: .rootStream, inboundWindowSize: 600, outboundWindowSize: nil))
        #expect(try connection.sent() == nil)
        connection.channel.pipeline.fireUserInboundEventTriggered(
            NIOHTTP2WindowUpdatedEvent(streamID: .rootStream, inboundWindowSize: 400, outboundWindowSize: nil))
        #expect(try connection.sentControl() == "0 WINDOW_UPDATE 600")

        let recorder = Recorder()
        recorder.room = 1
        let id = try #require(connection.table.open(recorder, headers: .headers(.init(headers: Self.request)), written: nil))
        connection.table.flush()
        #expect(try connection.sentControl() == "1 other")
        try connection.receive(.data(.init(data: .byteBuffer(ByteBuffer(string: "x")))), on: id)
        connection.channel.pipeline.fireUserInboundEventTriggered(
            NIOHTTP2WindowUpdatedEvent(streamID: id, inboundWindowSize: 100, outboundWindowSize: nil))
        #expect(try connection.sent() == nil)
        connection.table.resume(id)
        #expect(try connection.sentControl() == "1 WINDOW_UPDATE 900")

        connection.table.reset(id)
        #expect(try connection.sentControl() == "1 RST_STREAM \(HTTP2ErrorCode.cancel)")
        #expect(recorder.closed == nil)
    }

    /// swift-nio-http2's inbound window policy: nothing above half the target; below it, back up
    /// to the target; a negative window is brought back up too.
    @Test(arguments: [
        (1000, 1000, nil), (1200, 1000, nil), (600, 1000, nil), (500, 1000, 500), (400, 1000, 600),
        (0, 1000, 1000), (-200, 1000, 1200),
    ] as [(Int, Int, Int?)])
    func windowIncrement(window: Int, target: Int, increment: Int?) {
        #expect(HTTP2InboundWindow.increment(window: window, target: target) == increment)
    }
}
