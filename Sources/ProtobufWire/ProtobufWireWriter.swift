/// Writes the protobuf wire format: tags, varints, fixed-width values, length-delimited bytes,
/// nested messages and packed repeated scalars.
///
/// The `…Field` methods follow proto3's rules for implicit presence: a zero, `false` or empty value
/// is omitted. Fields with explicit presence (members of a `oneof`, `optional` scalars) pass
/// `always: true`; message fields are always written (their presence is the caller's `Optional`).
public struct ProtobufWireWriter: Sendable {
    public typealias WireType = ProtobufWireReader.WireType

    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    // MARK: - Wire primitives

    public mutating func writeTag(field: Int, wireType: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// A base-128 varint (1–10 bytes).
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Little-endian 64-bit value.
    public mutating func writeFixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Little-endian 32-bit value.
    public mutating func writeFixed32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// A length prefix followed by `value`.
    public mutating func writeLengthDelimited(_ value: some Collection<UInt8>) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// ZigZag encoding of a signed value (`sint32`/`sint64`), so small negative numbers stay short.
    public static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    // MARK: - Fields

    /// `uint64`/`uint32` (varint).
    public mutating func writeUInt64Field(_ field: Int, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        writeTag(field: field, wireType: .varint)
        writeVarint(value)
    }

    /// `int64`/`int32`/enum (varint; negative values take ten bytes, as protobuf specifies).
    public mutating func writeInt64Field(_ field: Int, _ value: Int64, always: Bool = false) {
        writeUInt64Field(field, UInt64(bitPattern: value), always: always)
    }

    /// `sint64`/`sint32` (ZigZag varint).
    public mutating func writeSInt64Field(_ field: Int, _ value: Int64, always: Bool = false) {
        writeUInt64Field(field, Self.zigZag(value), always: always)
    }

    public mutating func writeBoolField(_ field: Int, _ value: Bool, always: Bool = false) {
        writeUInt64Field(field, value ? 1 : 0, always: always)
    }

    /// `fixed64`/`sfixed64`/`double` (as bits).
    public mutating func writeFixed64Field(_ field: Int, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        writeTag(field: field, wireType: .fixed64)
        writeFixed64(value)
    }

    /// `fixed32`/`sfixed32`/`float` (as bits).
    public mutating func writeFixed32Field(_ field: Int, _ value: UInt32, always: Bool = false) {
        guard value != 0 || always else { return }
        writeTag(field: field, wireType: .fixed32)
        writeFixed32(value)
    }

    /// `bytes`.
    public mutating func writeBytesField(_ field: Int, _ value: some Collection<UInt8>, always: Bool = false) {
        guard !value.isEmpty || always else { return }
        writeTag(field: field, wireType: .lengthDelimited)
        writeLengthDelimited(value)
    }

    /// `string` (UTF-8).
    public mutating func writeStringField(_ field: Int, _ value: String, always: Bool = false) {
        writeBytesField(field, value.utf8, always: always)
    }

    /// A nested message, written by `body` into its own buffer and then length-prefixed.
    /// Always written, even when empty.
    public mutating func writeMessageField(_ field: Int, _ body: (inout ProtobufWireWriter) -> Void) {
        var nested = ProtobufWireWriter()
        body(&nested)
        writeTag(field: field, wireType: .lengthDelimited)
        writeLengthDelimited(nested.bytes)
    }

    /// A packed `repeated` varint field (`int64`, `uint64`, `bool`, enums); omitted when empty.
    public mutating func writePackedVarintField(_ field: Int, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        var packed = ProtobufWireWriter()
        for value in values { packed.writeVarint(value) }
        writeTag(field: field, wireType: .lengthDelimited)
        writeLengthDelimited(packed.bytes)
    }
}
