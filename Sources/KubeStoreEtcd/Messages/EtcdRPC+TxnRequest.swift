import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.TxnRequest`.
    struct TxnRequest: EtcdMessage {
        var compare: [Compare] = []
        var success: [RequestOp] = []
        var failure: [RequestOp] = []

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeRepeatedMessageField(1, compare)
            writer.writeRepeatedMessageField(2, success)
            writer.writeRepeatedMessageField(3, failure)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: compare.append(try reader.readMessageField(tag))
            case 2: success.append(try reader.readMessageField(tag))
            case 3: failure.append(try reader.readMessageField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
