import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.LeaseTimeToLiveRequest`.
    struct LeaseTimeToLiveRequest: EtcdMessage {
        var id: Int64 = 0
        /// Whether to list the keys attached to the lease.
        var keys = false

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeInt64Field(1, id)
            writer.writeBoolField(2, keys)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: id = try reader.readInt64Field(tag)
            case 2: keys = try reader.readBoolField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
