import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.CompactionRequest`.
    struct CompactionRequest: EtcdMessage {
        var revision: Int64 = 0
        var physical = false

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeInt64Field(1, revision)
            writer.writeBoolField(2, physical)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: revision = try reader.readInt64Field(tag)
            case 2: physical = try reader.readBoolField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
