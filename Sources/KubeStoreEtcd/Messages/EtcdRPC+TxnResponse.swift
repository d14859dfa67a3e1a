import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.TxnResponse`.
    struct TxnResponse: EtcdMessage {
        var header: ResponseHeader?
        var succeeded = false
        var responses: [ResponseOp] = []

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeBoolField(2, succeeded)
            writer.writeRepeatedMessageField(3, responses)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: succeeded = try reader.readBoolField(tag)
            case 3: responses.append(try reader.readMessageField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
