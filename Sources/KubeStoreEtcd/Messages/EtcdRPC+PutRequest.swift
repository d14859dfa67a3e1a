import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.PutRequest`.
    struct PutRequest: EtcdMessage {
        var key: [UInt8] = []
        var value: [UInt8] = []
        var lease: Int64 = 0
        var prevKV = false
        var ignoreValue = false
        var ignoreLease = false

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeBytesField(1, key)
            writer.writeBytesField(2, value)
            writer.writeInt64Field(3, lease)
            writer.writeBoolField(4, prevKV)
            writer.writeBoolField(5, ignoreValue)
            writer.writeBoolField(6, ignoreLease)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: key = Array(try reader.readLengthDelimitedField(tag))
            case 2: value = Array(try reader.readLengthDelimitedField(tag))
            case 3: lease = try reader.readInt64Field(tag)
            case 4: prevKV = try reader.readBoolField(tag)
            case 5: ignoreValue = try reader.readBoolField(tag)
            case 6: ignoreLease = try reader.readBoolField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
