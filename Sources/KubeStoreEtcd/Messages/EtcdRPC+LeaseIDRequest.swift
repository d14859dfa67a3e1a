import ProtobufWire

extension EtcdRPC {
    /// A request whose only field is `int64 ID = 1`: etcd's `LeaseRevokeRequest` and
    /// `LeaseKeepAliveRequest` share this layout.
    struct LeaseIDRequest: EtcdMessage {
        var id: Int64 = 0

        init() {}
        init(id: Int64) { self.id = id }

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeInt64Field(1, id)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: id = try reader.readInt64Field(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }

    /// `etcdserverpb.LeaseRevokeRequest`.
    typealias LeaseRevokeRequest = LeaseIDRequest
    /// `etcdserverpb.LeaseKeepAliveRequest`.
    typealias LeaseKeepAliveRequest = LeaseIDRequest
}
