import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.WatchCancelRequest`.
    struct WatchCancelRequest: EtcdMessage {
        var watchID: Int64 = 0

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeInt64Field(1, watchID)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: watchID = try reader.readInt64Field(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
