import ProtobufWire
import Testing

@Suite struct ProtobufWireWriterTests {
    static let varints: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varints)
    func varint(value: UInt64, bytes: [UInt8]) throws {
        var writer = ProtobufWireWriter()
        writer.writeVarint(value)
        #expect(writer.bytes == bytes)
        var reader = ProtobufWireReader(writer.bytes[...])
        #expect(try reader.readVarint() == value)
        #expect(reader.isAtEnd)
    }

    static let zigZags: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max)]

    @Test(arguments: zigZags)
    func zigZag(value: Int64, encoded: UInt64) throws {
        #expect(ProtobufWireWriter.zigZag(value) == encoded)
        var writer = ProtobufWireWriter()
        writer.writeSInt64Field(1, value, always: true)
        var reader = ProtobufWireReader(writer.bytes[...])
        let tag = try #require(try reader.readTag())
        #expect(try reader.readSInt64Field(tag) == value)
    }

    @Test func proto3DefaultsAreOmitted() {
        var writer = ProtobufWireWriter()
        writer.writeInt64Field(1, 0)
        writer.writeUInt64Field(2, 0)
        writer.writeBoolField(3, false)
        writer.writeBytesField(4, [])
        writer.writeStringField(5, "")
        writer.writeFixed64Field(6, 0)
        writer.writeFixed32Field(7, 0)
        writer.writePackedVarintField(8, [])
        #expect(writer.bytes.isEmpty)
        writer.writeInt64Field(1, 0, always: true)
        writer.writeBytesField(2, [], always: true)
        #expect(writer.bytes == [0x08, 0x00, 0x12, 0x00])
    }

    @Test func negativeInt64TakesTenBytes() throws {
        var writer = ProtobufWireWriter()
        writer.writeInt64Field(2, -1)
        #expect(writer.bytes == [0x10] + Array(repeating: 0xFF, count: 9) + [0x01])
        var reader = ProtobufWireReader(writer.bytes[...])
        let tag = try #require(try reader.readTag())
        #expect(try reader.readInt64Field(tag) == -1)
    }

    @Test func fixedWidthValuesAreLittleEndian() throws {
        var writer = ProtobufWireWriter()
        writer.writeFixed64Field(1, 0x0102_0304_0506_0708)
        writer.writeFixed32Field(2, 0x0A0B_0C0D)
        #expect(writer.bytes == [0x09, 8, 7, 6, 5, 4, 3, 2, 1, 0x15, 0x0D, 0x0C, 0x0B, 0x0A])
        var reader = ProtobufWireReader(writer.bytes[...])
        _ = try reader.readTag()
        #expect(try reader.readFixed64() == 0x0102_0304_0506_0708)
        _ = try reader.readTag()
        #expect(try reader.readFixed32() == 0x0A0B_0C0D)
    }

    /// The example from the protobuf encoding guide: `Test3 { Test1 c = 3; }` with `a = 150`.
    @Test func nestedMessage() {
        var writer = ProtobufWireWriter()
        writer.writeMessageField(3) { $0.writeInt64Field(1, 150) }
        #expect(writer.bytes == [0x1A, 0x03, 0x08, 0x96, 0x01])
        var empty = ProtobufWireWriter()
        empty.writeMessageField(1) { _ in }
        #expect(empty.bytes == [0x0A, 0x00])
    }

    @Test func packedRepeatedReadsPackedAndUnpacked() throws {
        var writer = ProtobufWireWriter()
        writer.writePackedVarintField(4, [3, 270, 86942])
        #expect(writer.bytes == [0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])
        writer.writeUInt64Field(4, 7)
        var reader = ProtobufWireReader(writer.bytes[...])
        var values: [UInt64] = []
        while let tag = try reader.readTag() { try reader.readRepeatedVarintField(tag, into: &values) }
        #expect(values == [3, 270, 86942, 7])
    }

    @Test func stringsAndBytes() throws {
        var writer = ProtobufWireWriter()
        writer.writeStringField(2, "testing")
        #expect(writer.bytes == [0x12, 0x07] + Array("testing".utf8))
        var reader = ProtobufWireReader(writer.bytes[...])
        let tag = try #require(try reader.readTag())
        #expect(try reader.readStringField(tag) == "testing")
    }

    @Test func wireTypeMismatchIsAnError() throws {
        var reader = ProtobufWireReader([0x0A, 0x00][...])
        let tag = try #require(try reader.readTag())
        #expect(throws: ProtobufDecodingError("field 1: expected varint, got length-delimited")) {
            try reader.readInt64Field(tag)
        }
    }
}
