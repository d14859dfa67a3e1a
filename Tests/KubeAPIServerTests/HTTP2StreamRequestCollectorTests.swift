import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import KubeAPIServer

@Suite struct HTTP2StreamRequestCollectorTests {
    static let head = HTTPRequest(method: .put, scheme: "https", authority: "a", path: "/api/v1/namespaces/a/configmaps/b")

    @Test func handsOverTheWholeRequestAtItsEnd() async throws {
        let (requests, continuation) = AsyncStream<HTTP2StreamRequest>.makeStream()
        let channel = EmbeddedChannel(handler: HTTP2StreamRequestCollector(requests: continuation, bodyLimit: 100))
        try channel.writeInbound(HTTPRequestPart.head(Self.head))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "{\"a\":")))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "1}")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        continuation.finish()
        var collected: [HTTP2StreamRequest] = []
        for await request in requests { collected.append(request) }
        #expect(collected.count == 1)
        #expect(collected.first?.head.path == Self.head.path)
        #expect(collected.first.map { String(buffer: $0.body) } == "{\"a\":1}")
    }

    @Test func keepsOneByteMoreThanTheLimitSoTheBodyStillReadsAsTooLarge() async throws {
        let (requests, continuation) = AsyncStream<HTTP2StreamRequest>.makeStream()
        let channel = EmbeddedChannel(handler: HTTP2StreamRequestCollector(requests: continuation, bodyLimit: 8))
        try channel.writeInbound(HTTPRequestPart.head(Self.head))
        for _ in 0..<10 { try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "0123456789"))) }
        try channel.writeInbound(HTTPRequestPart.end(nil))
        continuation.finish()
        var collected: [HTTP2StreamRequest] = []
        for await request in requests { collected.append(request) }
        let size = try #require(collected.first).body.readableBytes
        #expect(size > 8 && size < 100)
    }

    @Test func nothingIsHandedOverForARequestThatNeverEnds() async throws {
        let (requests, continuation) = AsyncStream<HTTP2StreamRequest>.makeStream()
        let channel = EmbeddedChannel(handler: HTTP2StreamRequestCollector(requests: continuation, bodyLimit: 8))
        try channel.writeInbound(HTTPRequestPart.head(Self.head))
        try await channel.close()
        continuation.finish()
        var count = 0
        for await _ in requests { count += 1 }
        #expect(count == 0)
    }
}
