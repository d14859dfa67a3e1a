import ProtobufWire

extension EtcdRPC {
    /// `mvccpb.KeyValue`.
    struct KeyValue: EtcdMessage {
        var key: [UInt8] = []
        var createRevision: Int64 = 0
        var modRevision: Int64 = 0
        var version: Int64 = 0
        var value: [UInt8] = []
        var lease: Int64 = 0

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeBytesField(1, key)
            writer.writeInt64Field(2, createRevision)
            writer.writeInt64Field(3, modRevision)
            writer.writeInt64Field(4, version)
            writer.writeBytesField(5, value)
            writer.writeInt64Field(6, lease)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: key = Array(try reader.readLengthDelimitedField(tag))
            case 2: createRevision = try reader.readInt64Field(tag)
            case 3: modRevision = try reader.readInt64Field(tag)
            case 4: version = try reader.readInt64Field(tag)
            case 5: value = Array(try reader.readLengthDelimitedField(tag))
            case 6: lease = try reader.readInt64Field(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
