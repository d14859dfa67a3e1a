import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.RangeResponse`.
    struct RangeResponse: EtcdMessage {
        var header: ResponseHeader?
        var kvs: [KeyValue] = []
        var more = false
        var count: Int64 = 0

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeRepeatedMessageField(2, kvs)
            writer.writeBoolField(3, more)
            writer.writeInt64Field(4, count)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: kvs.append(try reader.readMessageField(tag))
            case 3: more = try reader.readBoolField(tag)
            case 4: count = try reader.readInt64Field(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
