import ProtobufWire

extension EtcdRPC {
    /// `mvccpb.Event`.
    struct Event: EtcdMessage {
        enum EventType: Int32, Sendable {
            case put = 0
            case delete = 1
        }

        var type: EventType = .put
        var kv: KeyValue?
        var prevKV: KeyValue?

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeInt64Field(1, Int64(type.rawValue))
            writer.writeMessageField(2, kv)
            writer.writeMessageField(3, prevKV)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: type = EventType(rawValue: try reader.readInt32Field(tag)) ?? .put
            case 2: kv = try reader.readMessageField(tag)
            case 3: prevKV = try reader.readMessageField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
