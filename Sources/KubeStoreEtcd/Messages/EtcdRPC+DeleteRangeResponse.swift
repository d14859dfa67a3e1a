import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.DeleteRangeResponse`.
    struct DeleteRangeResponse: EtcdMessage {
        var header: ResponseHeader?
        var deleted: Int64 = 0
        var prevKVs: [KeyValue] = []

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeInt64Field(2, deleted)
            writer.writeRepeatedMessageField(3, prevKVs)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: deleted = try reader.readInt64Field(tag)
            case 3: prevKVs.append(try reader.readMessageField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
