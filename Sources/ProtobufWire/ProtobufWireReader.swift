/// Reads the protobuf wire format (varint, 64-bit, length-delimited, 32-bit) from a byte buffer.
///
/// Every read is bounds-checked and throws ``ProtobufDecodingError`` on malformed input; nothing
/// here can trap on hostile bytes.
public struct ProtobufWireReader {
    public enum WireType: UInt8, Sendable, CustomStringConvertible {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5

        public var description: String {
            switch self {
            case .varint: "varint"
            case .fixed64: "64-bit"
            case .lengthDelimited: "length-delimited"
            case .startGroup: "start-group"
            case .endGroup: "end-group"
            case .fixed32: "32-bit"
            }
        }
    }

    public struct Tag: Sendable {
        public var field: Int
        public var wireType: WireType

        public init(field: Int, wireType: WireType) {
            self.field = field
            self.wireType = wireType
        }
    }

    private let bytes: ArraySlice<UInt8>
    public private(set) var index: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    public var isAtEnd: Bool { index >= bytes.endIndex }

    /// The next field tag, or nil at the end of the buffer.
    public mutating func readTag() throws(ProtobufDecodingError) -> Tag? {
        if isAtEnd { return nil }
        let key = try readVarint()
        let field = key >> 3
        guard field > 0, field <= 0x1FFF_FFFF else {
            throw ProtobufDecodingError("invalid field number \(field) at byte \(index)")
        }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw ProtobufDecodingError("invalid wire type \(key & 7) for field \(field)")
        }
        return Tag(field: Int(field), wireType: wireType)
    }

    /// A base-128 varint of at most 10 bytes.
    public mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw ProtobufDecodingError("truncated varint") }
            let byte = bytes[index]
            index += 1
            if shift == 63 && byte > 1 { throw ProtobufDecodingError("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ProtobufDecodingError("varint longer than 10 bytes") }
        }
    }

    public mutating func readFixed64() throws(ProtobufDecodingError) -> UInt64 {
        guard bytes.endIndex - index >= 8 else { throw ProtobufDecodingError("truncated 64-bit value") }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += 8
        return value
    }

    public mutating func readFixed32() throws(ProtobufDecodingError) -> UInt32 {
        guard bytes.endIndex - index >= 4 else { throw ProtobufDecodingError("truncated 32-bit value") }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * UInt32(offset)) }
        index += 4
        return value
    }

    /// A length prefix and the bytes it covers.
    public mutating func readLengthDelimited() throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
        let length = try readVarint()
        guard length <= UInt64(bytes.endIndex - index) else {
            throw ProtobufDecodingError("length \(length) runs past the end of the message")
        }
        let end = index + Int(length)
        defer { index = end }
        return bytes[index..<end]
    }

    /// Skips a field's value (unknown fields are ignored, as protobuf does). Groups are obsolete and
    /// never used by Kubernetes: they are refused.
    public mutating func skip(_ wireType: WireType) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        case .startGroup, .endGroup: throw ProtobufDecodingError("protobuf groups are not supported")
        }
    }
}
