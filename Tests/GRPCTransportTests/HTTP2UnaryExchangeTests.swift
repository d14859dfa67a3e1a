import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import HTTP2Client

@Suite struct HTTP2UnaryExchangeTests {
    /// A stream channel with the exchange as its handler, made active (which sends the request).
    static func stream(headers: HPACKHeaders, body: ByteBuffer?) async throws
        -> (EmbeddedChannel, EventLoopFuture<HTTP2UnaryResponse>)
    {
        let channel = EmbeddedChannel()
        let promise = channel.eventLoop.makePromise(of: HTTP2UnaryResponse.self)
        try channel.pipeline.syncOperations.addHandler(HTTP2UnaryExchange(headers: headers, body: body, response: promise))
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).get()
        return (channel, promise.futureResult)
    }

    static let request: HPACKHeaders = [":method": "PUT", ":path": "/api/v1/namespaces/a/configmaps/b"]

    @Test func sendsTheRequestAndReadsTheWholeResponseAfterInformationalHeaders() async throws {
        let (channel, response) = try await Self.stream(headers: Self.request, body: ByteBuffer(string: "{}"))
        guard case .headers(let sent)? = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no HEADERS sent")
            return
        }
        #expect(sent.headers.first(name: ":method") == "PUT")
        #expect(!sent.endStream)
        guard case .data(let data)? = try channel.readOutbound(as: HTTP2Frame.FramePayload.self),
              case .byteBuffer(let payload) = data.data else {
            Issue.record("no DATA sent")
            return
        }
        #expect(String(buffer: payload) == "{}")
        #expect(data.endStream)

        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: [":status": "100"])))
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: [":status": "200", "content-type": "application/json"])))
        try channel.writeInbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "{\"a\":")))))
        try channel.writeInbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "1}")), endStream: true)))
        let result = try await response.get()
        #expect(result.headers.first(name: ":status") == "200")
        #expect(String(buffer: result.body) == "{\"a\":1}")
    }

    @Test func aRequestWithoutBodyEndsTheStreamWithItsHeaders() async throws {
        let (channel, response) = try await Self.stream(headers: [":method": "GET", ":path": "/version"], body: nil)
        guard case .headers(let sent)? = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no HEADERS sent")
            return
        }
        #expect(sent.endStream)
        #expect(try channel.readOutbound(as: HTTP2Frame.FramePayload.self) == nil)
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: [":status": "404"], endStream: true)))
        let result = try await response.get()
        #expect(result.headers.first(name: ":status") == "404")
        #expect(result.body.readableBytes == 0)
    }

    @Test func aResetOrAClosedStreamFailsTheExchange() async throws {
        let (reset, resetResponse) = try await Self.stream(headers: Self.request, body: nil)
        try reset.writeInbound(HTTP2Frame.FramePayload.rstStream(.refusedStream))
        await #expect(throws: HTTP2StreamError.self) { try await resetResponse.get() }

        let (closed, closedResponse) = try await Self.stream(headers: Self.request, body: nil)
        try closed.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: [":status": "200"])))
        try await closed.close()
        await #expect(throws: HTTP2StreamError.self) { try await closedResponse.get() }
    }
}
