import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.LeaseTimeToLiveResponse`.
    struct LeaseTimeToLiveResponse: EtcdMessage {
        var header: ResponseHeader?
        var id: Int64 = 0
        var ttl: Int64 = 0
        var grantedTTL: Int64 = 0
        var keys: [[UInt8]] = []

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeInt64Field(2, id)
            writer.writeInt64Field(3, ttl)
            writer.writeInt64Field(4, grantedTTL)
            for key in keys { writer.writeBytesField(5, key, always: true) }
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: id = try reader.readInt64Field(tag)
            case 3: ttl = try reader.readInt64Field(tag)
            case 4: grantedTTL = try reader.readInt64Field(tag)
            case 5: keys.append(Array(try reader.readLengthDelimitedField(tag)))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
