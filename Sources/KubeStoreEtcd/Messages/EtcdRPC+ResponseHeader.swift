import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.ResponseHeader`.
    struct ResponseHeader: EtcdMessage {
        var clusterID: UInt64 = 0
        var memberID: UInt64 = 0
        var revision: Int64 = 0
        var raftTerm: UInt64 = 0

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeUInt64Field(1, clusterID)
            writer.writeUInt64Field(2, memberID)
            writer.writeInt64Field(3, revision)
            writer.writeUInt64Field(4, raftTerm)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: clusterID = try reader.readVarintField(tag)
            case 2: memberID = try reader.readVarintField(tag)
            case 3: revision = try reader.readInt64Field(tag)
            case 4: raftTerm = try reader.readVarintField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
