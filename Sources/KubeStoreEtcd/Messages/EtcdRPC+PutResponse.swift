import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.PutResponse`.
    struct PutResponse: EtcdMessage {
        var header: ResponseHeader?
        var prevKV: KeyValue?

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeMessageField(2, prevKV)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: prevKV = try reader.readMessageField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
