import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.RequestOp`: one operation of a transaction (the `request` oneof).
    struct RequestOp: EtcdMessage {
        indirect enum Request: Equatable, Sendable {
            case range(RangeRequest)
            case put(PutRequest)
            case deleteRange(DeleteRangeRequest)
            case txn(TxnRequest)
        }

        var request: Request?

        init() {}
        init(_ request: Request) { self.request = request }

        func encode(to writer: inout ProtobufWireWriter) {
            switch request {
            case .range(let message): writer.writeMessageField(1, message)
            case .put(let message): writer.writeMessageField(2, message)
            case .deleteRange(let message): writer.writeMessageField(3, message)
            case .txn(let message): writer.writeMessageField(4, message)
            case nil: break
            }
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: request = .range(try reader.readMessageField(tag))
            case 2: request = .put(try reader.readMessageField(tag))
            case 3: request = .deleteRange(try reader.readMessageField(tag))
            case 4: request = .txn(try reader.readMessageField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
