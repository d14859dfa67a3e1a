import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.StatusResponse` (Maintenance.Status).
    struct StatusResponse: EtcdMessage {
        var header: ResponseHeader?
        var version = ""
        var dbSize: Int64 = 0
        var leader: UInt64 = 0
        var raftIndex: UInt64 = 0
        var raftTerm: UInt64 = 0
        var raftAppliedIndex: UInt64 = 0
        var errors: [String] = []
        var dbSizeInUse: Int64 = 0
        var isLearner = false

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeStringField(2, version)
            writer.writeInt64Field(3, dbSize)
            writer.writeUInt64Field(4, leader)
            writer.writeUInt64Field(5, raftIndex)
            writer.writeUInt64Field(6, raftTerm)
            writer.writeUInt64Field(7, raftAppliedIndex)
            for error in errors { writer.writeStringField(8, error, always: true) }
            writer.writeInt64Field(9, dbSizeInUse)
            writer.writeBoolField(10, isLearner)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: version = try reader.readStringField(tag)
            case 3: dbSize = try reader.readInt64Field(tag)
            case 4: leader = try reader.readVarintField(tag)
            case 5: raftIndex = try reader.readVarintField(tag)
            case 6: raftTerm = try reader.readVarintField(tag)
            case 7: raftAppliedIndex = try reader.readVarintField(tag)
            case 8: errors.append(try reader.readStringField(tag))
            case 9: dbSizeInUse = try reader.readInt64Field(tag)
            case 10: isLearner = try reader.readBoolField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
