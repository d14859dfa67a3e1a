import ProtobufWire

extension EtcdRPC {
    /// A request without fields: etcd's `StatusRequest`, `DefragmentRequest` and
    /// `WatchProgressRequest` share this (empty) layout.
    struct EmptyRequest: EtcdMessage {
        func encode(to writer: inout ProtobufWireWriter) {}

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            try reader.skip(tag.wireType)
        }
    }

    /// `etcdserverpb.StatusRequest`.
    typealias StatusRequest = EmptyRequest
    /// `etcdserverpb.DefragmentRequest`.
    typealias DefragmentRequest = EmptyRequest
    /// `etcdserverpb.WatchProgressRequest`.
    typealias WatchProgressRequest = EmptyRequest
}
