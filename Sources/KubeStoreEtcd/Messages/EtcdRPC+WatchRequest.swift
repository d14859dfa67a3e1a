import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.WatchRequest`: one message on the Watch stream (the `request_union` oneof).
    struct WatchRequest: EtcdMessage {
        enum Request: Equatable, Sendable {
            case create(WatchCreateRequest)
            case cancel(WatchCancelRequest)
            case progress(WatchProgressRequest)
        }

        var request: Request?

        init() {}
        init(_ request: Request) { self.request = request }

        func encode(to writer: inout ProtobufWireWriter) {
            switch request {
            case .create(let message): writer.writeMessageField(1, message)
            case .cancel(let message): writer.writeMessageField(2, message)
            case .progress(let message): writer.writeMessageField(3, message)
            case nil: break
            }
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: request = .create(try reader.readMessageField(tag))
            case 2: request = .cancel(try reader.readMessageField(tag))
            case 3: request = .progress(try reader.readMessageField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
