import NIOCore
import Testing

@testable import GRPCTransport

@Suite struct GRPCFramingTests {
    @Test func framePrefixesFlagAndBigEndianLength() {
        let frame = GRPCMessageFramer.frame([0xAA, 0xBB, 0xCC])
        #expect(Array(frame.readableBytesView) == [0, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC])
        let large = GRPCMessageFramer.frame([UInt8](repeating: 7, count: 70_000))
        #expect(Array(large.readableBytesView.prefix(5)) == [0, 0, 1, 0x11, 0x70])
    }

    @Test func emptyMessage() throws {
        #expect(Array(GRPCMessageFramer.frame([]).readableBytesView) == [0, 0, 0, 0, 0])
        var deframer = GRPCMessageDeframer()
        deframer.append(ByteBuffer(bytes: [0, 0, 0, 0, 0]))
        #expect(try deframer.next() == [])
        #expect(try deframer.next() == nil)
        #expect(!deframer.hasPartialMessage)
    }

    /// Messages split across DATA frames at every possible point, and several in one frame.
    @Test(arguments: 1...12)
    func deframesAcrossArbitrarySplits(chunkSize: Int) throws {
        let messages: [[UInt8]] = [[1, 2, 3], [], [4], Array(repeating: 9, count: 20)]
        var stream: [UInt8] = []
        for message in messages { stream += Array(GRPCMessageFramer.frame(message).readableBytesView) }
        var deframer = GRPCMessageDeframer()
        var received: [[UInt8]] = []
        var offset = 0
        while offset < stream.count {
            let end = min(offset + chunkSize, stream.count)
            deframer.append(ByteBuffer(bytes: stream[offset..<end]))
            offset = end
            while let message = try deframer.next() { received.append(message) }
        }
        #expect(received == messages)
        #expect(!deframer.hasPartialMessage)
    }

    @Test func partialMessageIsReported() throws {
        var deframer = GRPCMessageDeframer()
        deframer.append(ByteBuffer(bytes: [0, 0, 0, 0, 4, 1, 2]))
        #expect(try deframer.next() == nil)
        #expect(deframer.hasPartialMessage)
    }

    @Test func compressedMessageIsRefused() {
        var deframer = GRPCMessageDeframer()
        deframer.append(ByteBuffer(bytes: [1, 0, 0, 0, 1, 0xFF]))
        #expect(throws: GRPCError.self) { try deframer.next() }
    }
}
