/// Typed field values, checking that the tag's wire type matches the field's declared type.
extension ProtobufWireReader {
    /// A varint field's raw value (`int64`, `uint64`, `int32`, `bool`, enums).
    public mutating func readVarintField(_ tag: Tag) throws(ProtobufDecodingError) -> UInt64 {
        try expect(tag, .varint)
        return try readVarint()
    }

    public mutating func readInt64Field(_ tag: Tag) throws(ProtobufDecodingError) -> Int64 {
        Int64(bitPattern: try readVarintField(tag))
    }

    /// `int32` and enums: the low 32 bits of the varint, sign-extended.
    public mutating func readInt32Field(_ tag: Tag) throws(ProtobufDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarintField(tag))
    }

    public mutating func readBoolField(_ tag: Tag) throws(ProtobufDecodingError) -> Bool {
        try readVarintField(tag) != 0
    }

    /// `sint64`/`sint32` (ZigZag).
    public mutating func readSInt64Field(_ tag: Tag) throws(ProtobufDecodingError) -> Int64 {
        let raw = try readVarintField(tag)
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// `bytes`, a nested message's encoding, or a packed repeated field's payload.
    public mutating func readLengthDelimitedField(_ tag: Tag) throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
        try expect(tag, .lengthDelimited)
        return try readLengthDelimited()
    }

    public mutating func readStringField(_ tag: Tag) throws(ProtobufDecodingError) -> String {
        String(decoding: try readLengthDelimitedField(tag), as: UTF8.self)
    }

    /// A repeated varint field, packed (length-delimited) or not (one varint per tag): appends to
    /// `values`, as parsers must accept both encodings.
    public mutating func readRepeatedVarintField(_ tag: Tag, into values: inout [UInt64]) throws(ProtobufDecodingError) {
        guard tag.wireType == .lengthDelimited else { return values.append(try readVarintField(tag)) }
        var packed = ProtobufWireReader(try readLengthDelimited())
        while !packed.isAtEnd { values.append(try packed.readVarint()) }
    }

    private func expect(_ tag: Tag, _ wireType: WireType) throws(ProtobufDecodingError) {
        guard tag.wireType == wireType else {
            throw ProtobufDecodingError("field \(tag.field): expected \(wireType), got \(tag.wireType)")
        }
    }
}
