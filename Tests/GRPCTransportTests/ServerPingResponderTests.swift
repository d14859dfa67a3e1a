import NIOCore
import NIOEmbedded
import Testing

@testable import HTTP2Client

@Suite struct ServerPingResponderTests {
    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
            + withUnsafeBytes(of: stream.bigEndian, Array.init) + payload
    }

    /// SETTINGS, PING, DATA (whose payload looks like a PING header), PING ACK, HEADERS.
    static let settings = frame(type: 4, flags: 0, stream: 0, payload: [0, 3, 0, 0, 0, 100])
    static let ping = frame(type: 6, flags: 0, stream: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8])
    static let data = frame(type: 0, flags: 1, stream: 1, payload: [0, 0, 8, 6, 0, 0, 0, 0, 0] + Array(repeating: 0xAB, count: 40))
    static let pingAck = frame(type: 6, flags: 1, stream: 0, payload: [9, 9, 9, 9, 9, 9, 9, 9])
    static let headers = frame(type: 1, flags: 4, stream: 3, payload: [0x88])

    @Test(arguments: [1, 2, 5, 9, 17, 1000])
    func answersPingsAndForwardsEverythingElse(chunkSize: Int) throws {
        let channel = EmbeddedChannel(handler: ServerPingResponder())
        let input = Self.settings + Self.ping + Self.data + Self.pingAck + Self.ping + Self.headers
        var start = 0
        while start < input.count {
            let chunk = input[start..<min(start + chunkSize, input.count)]
            try channel.writeInbound(channel.allocator.buffer(bytes: chunk))
            start += chunkSize
        }
        var forwarded: [UInt8] = []
        while var buffer = try channel.readInbound(as: ByteBuffer.self) {
            forwarded += buffer.readBytes(length: buffer.readableBytes)!
        }
        #expect(forwarded == Self.settings + Self.data + Self.pingAck + Self.headers)
        var written: [UInt8] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            written += buffer.readBytes(length: buffer.readableBytes)!
        }
        let ack = Self.frame(type: 6, flags: 1, stream: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(written == ack + ack)
        _ = try channel.finish()
    }
}
