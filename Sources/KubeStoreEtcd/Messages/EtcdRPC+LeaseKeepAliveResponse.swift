import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.LeaseKeepAliveResponse`. A TTL of 0 means etcd does not know the lease.
    struct LeaseKeepAliveResponse: EtcdMessage {
        var header: ResponseHeader?
        var id: Int64 = 0
        var ttl: Int64 = 0

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeInt64Field(2, id)
            writer.writeInt64Field(3, ttl)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: id = try reader.readInt64Field(tag)
            case 3: ttl = try reader.readInt64Field(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
