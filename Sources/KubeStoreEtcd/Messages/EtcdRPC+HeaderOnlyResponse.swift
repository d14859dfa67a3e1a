import ProtobufWire

extension EtcdRPC {
    /// A response whose only field is `ResponseHeader header = 1`: etcd's `CompactionResponse`,
    /// `LeaseRevokeResponse` and `DefragmentResponse` share this layout.
    struct HeaderOnlyResponse: EtcdMessage {
        var header: ResponseHeader?

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }

    /// `etcdserverpb.CompactionResponse`.
    typealias CompactionResponse = HeaderOnlyResponse
    /// `etcdserverpb.LeaseRevokeResponse`.
    typealias LeaseRevokeResponse = HeaderOnlyResponse
    /// `etcdserverpb.DefragmentResponse`.
    typealias DefragmentResponse = HeaderOnlyResponse
}
