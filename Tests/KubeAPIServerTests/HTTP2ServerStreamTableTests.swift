import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import KubeAPIServer

@Suite struct HTTP2ServerStreamTableTests {
    static let head: HPACKHeaders = [
        ":method": "PUT", ":scheme": "https", ":authority": "a", ":path": "/api/v1/namespaces/a/configmaps/b",
        "content-type": "application/json",
    ]

    /// A connection whose pipeline is the table alone (frames in and out, as after
    /// `NIOHTTP2Handler`).
    struct Connection {
        let channel = EmbeddedChannel()
        let requests: AsyncStream<HTTP2StreamRequest>
        let continuation: AsyncStream<HTTP2StreamRequest>.Continuation

        init(bodyLimit: Int = 100) throws {
            (requests, continuation) = AsyncStream<HTTP2StreamRequest>.makeStream()
            try channel.pipeline.syncOperations.addHandler(
                HTTP2ServerStreamTable(requests: continuation, bodyLimit: bodyLimit, targetWindow: 1000))
        }

        func receive(_ payload: HTTP2Frame.FramePayload, on id: HTTP2StreamID) throws {
            try channel.writeInbound(HTTP2Frame(streamID: id, payload: payload))
        }

        func collected() async -> [HTTP2StreamRequest] {
            continuation.finish()
            var collected: [HTTP2StreamRequest] = []
            for await request in requests { collected.append(request) }
            return collected
        }
    }

    @Test func handsOverEachWholeRequestAtItsEnd() async throws {
        let connection = try Connection()
        try connection.receive(.headers(.init(headers: Self.head)), on: 1)
        try connection.receive(.headers(.init(headers: [":method": "GET", ":path": "/version"], endStream: true)), on: 3)
        try connection.receive(.data(.init(data: .byteBuffer(ByteBuffer(string: "{\"a\":")))), on: 1)
        try connection.receive(.data(.init(data: .byteBuffer(ByteBuffer(string: "1}")), endStream: true)), on: 1)
        let collected = await connection.collected()
        #expect(collected.map(\.stream.id) == [3, 1])
        #expect(collected.map(\.head.method) == [.get, .put])
        let put = try #require(collected.last)
        #expect(put.head.path == "/api/v1/namespaces/a/configmaps/b")
        #expect(put.head.authority == "a")
        #expect(put.head.headerFields[.contentType] == "application/json")
        #expect(String(buffer: put.body) == "{\"a\":1}")
    }

    @Test func keepsOneByteMoreThanTheLimitSoTheBodyStillReadsAsTooLarge() async throws {
        let connection = try Connection(bodyLimit: 8)
        try connection.receive(.headers(.init(headers: Self.head)), on: 1)
        for _ in 0..<10 { try connection.receive(.data(.init(data: .byteBuffer(ByteBuffer(string: "0123456789")))), on: 1) }
        try connection.receive(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)), on: 1)
        let size = try #require(await connection.collected().first).body.readableBytes
        #expect(size > 8 && size < 100)
    }

    @Test func nothingIsHandedOverForARequestThatNeverEndsAndItsSignalFires() async throws {
        let connection = try Connection()
        try connection.receive(.headers(.init(headers: Self.head)), on: 1)
        try connection.receive(.headers(.init(headers: [":method": "GET", ":path": "/api/v1/pods?watch=1"], endStream: true)), on: 3)
        try await connection.channel.close()
        let collected = await connection.collected()
        #expect(collected.count == 1)
        #expect(collected.first?.closed.isFired == true)
    }

    @Test func aClosedStreamFiresItsSignalAndTakesNoMoreResponseFrames() async throws {
        let connection = try Connection()
        try connection.receive(.headers(.init(headers: [":method": "GET", ":path": "/api/v1/pods?watch=1"], endStream: true)), on: 1)
        let request = try #require(await connection.collected().first)
        #expect(!request.closed.isFired)
        connection.channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: 1, reason: .cancel))
        #expect(request.closed.isFired)
        let table = request.stream.table.value
        let promise = connection.channel.eventLoop.makePromise(of: Void.self)
        table.write(.data(.init(data: .byteBuffer(ByteBuffer(string: "x")))), on: 1, flush: true, promise: promise)
        await #expect(throws: ChannelError.self) { try await promise.futureResult.get() }
    }

    @Test func malformedHeadersResetTheStream() async throws {
        let connection = try Connection()
        try connection.receive(.headers(.init(headers: [":path": "/version"], endStream: true)), on: 1)
        let sent = try #require(try connection.channel.readOutbound(as: HTTP2Frame.self))
        guard case .rstStream(let code) = sent.payload else {
            Issue.record("no RST_STREAM sent")
            return
        }
        #expect(code == .protocolError)
        #expect(await connection.collected().isEmpty)
    }

    /// RFC 9113 §8.3: pseudo-header fields first, each once; `:method` required.
    @Test(arguments: [
        ([(":method", "GET"), (":path", "/a"), ("accept", "x")], true),
        ([(":path", "/a")], false),
        ([(":method", "GET"), (":method", "PUT")], false),
        ([(":method", "GET"), ("accept", "x"), (":path", "/a")], false),
        ([(":method", "GET"), (":status", "200")], false),
    ] as [([(String, String)], Bool)])
    func requestHeads(fields: [(String, String)], valid: Bool) {
        let head = try? HTTPRequest(http2Headers: HPACKHeaders(fields))
        #expect((head != nil) == valid)
    }

    @Test func aResponseOfKnownLengthIsOneHeadersAndOneDataFrame() async throws {
        let connection = try Connection()
        try connection.receive(.headers(.init(headers: [":method": "GET", ":path": "/version"], endStream: true)), on: 1)
        let request = try #require(await connection.collected().first)
        var writer = HTTP2StreamResponseWriter(
            stream: request.stream, head: HTTPResponse(status: .ok, headerFields: [.contentType: "application/json"]),
            streamed: false, omitBody: false)
        try await writer.write(ByteBuffer(string: "{}"))
        try await writer.finish(nil)
        connection.channel.embeddedEventLoop.run()
        let headers = try #require(try connection.channel.readOutbound(as: HTTP2Frame.self))
        let data = try #require(try connection.channel.readOutbound(as: HTTP2Frame.self))
        guard case .headers(let head) = headers.payload, case .data(let body) = data.payload else {
            Issue.record("not HEADERS then DATA")
            return
        }
        #expect(head.headers.first(name: ":status") == "200")
        #expect(head.headers.first(name: "content-type") == "application/json")
        #expect(!head.endStream)
        #expect(body.endStream)
        #expect(body.data.readableBytes == 2)
    }
}
