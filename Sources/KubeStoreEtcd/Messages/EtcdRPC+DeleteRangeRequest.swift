import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.DeleteRangeRequest`.
    struct DeleteRangeRequest: EtcdMessage {
        var key: [UInt8] = []
        var rangeEnd: [UInt8] = []
        var prevKV = false

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeBytesField(1, key)
            writer.writeBytesField(2, rangeEnd)
            writer.writeBoolField(3, prevKV)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: key = Array(try reader.readLengthDelimitedField(tag))
            case 2: rangeEnd = Array(try reader.readLengthDelimitedField(tag))
            case 3: prevKV = try reader.readBoolField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
