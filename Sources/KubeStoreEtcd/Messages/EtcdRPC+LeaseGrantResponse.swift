import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.LeaseGrantResponse`.
    struct LeaseGrantResponse: EtcdMessage {
        var header: ResponseHeader?
        var id: Int64 = 0
        var ttl: Int64 = 0
        var error = ""

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeInt64Field(2, id)
            writer.writeInt64Field(3, ttl)
            writer.writeStringField(4, error)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: id = try reader.readInt64Field(tag)
            case 3: ttl = try reader.readInt64Field(tag)
            case 4: error = try reader.readStringField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
