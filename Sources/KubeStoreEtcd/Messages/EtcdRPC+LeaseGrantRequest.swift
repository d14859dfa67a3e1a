import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.LeaseGrantRequest`.
    struct LeaseGrantRequest: EtcdMessage {
        var ttl: Int64 = 0
        /// 0 lets etcd choose the ID.
        var id: Int64 = 0

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeInt64Field(1, ttl)
            writer.writeInt64Field(2, id)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: ttl = try reader.readInt64Field(tag)
            case 2: id = try reader.readInt64Field(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
