import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.ResponseOp`: the result of one transaction operation (the `response` oneof).
    struct ResponseOp: EtcdMessage {
        indirect enum Response: Equatable, Sendable {
            case range(RangeResponse)
            case put(PutResponse)
            case deleteRange(DeleteRangeResponse)
            case txn(TxnResponse)
        }

        var response: Response?

        init() {}
        init(_ response: Response) { self.response = response }

        func encode(to writer: inout ProtobufWireWriter) {
            switch response {
            case .range(let message): writer.writeMessageField(1, message)
            case .put(let message): writer.writeMessageField(2, message)
            case .deleteRange(let message): writer.writeMessageField(3, message)
            case .txn(let message): writer.writeMessageField(4, message)
            case nil: break
            }
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: response = .range(try reader.readMessageField(tag))
            case 2: response = .put(try reader.readMessageField(tag))
            case 3: response = .deleteRange(try reader.readMessageField(tag))
            case 4: response = .txn(try reader.readMessageField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
