import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.RangeRequest`.
    struct RangeRequest: EtcdMessage {
        enum SortOrder: Int32, Sendable {
            case none = 0
            case ascend = 1
            case descend = 2
        }

        enum SortTarget: Int32, Sendable {
            case key = 0
            case version = 1
            case create = 2
            case mod = 3
            case value = 4
        }

        var key: [UInt8] = []
        var rangeEnd: [UInt8] = []
        var limit: Int64 = 0
        var revision: Int64 = 0
        var sortOrder: SortOrder = .none
        var sortTarget: SortTarget = .key
        var serializable = false
        var keysOnly = false
        var countOnly = false
        var minModRevision: Int64 = 0
        var maxModRevision: Int64 = 0
        var minCreateRevision: Int64 = 0
        var maxCreateRevision: Int64 = 0

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeBytesField(1, key)
            writer.writeBytesField(2, rangeEnd)
            writer.writeInt64Field(3, limit)
            writer.writeInt64Field(4, revision)
            writer.writeInt64Field(5, Int64(sortOrder.rawValue))
            writer.writeInt64Field(6, Int64(sortTarget.rawValue))
            writer.writeBoolField(7, serializable)
            writer.writeBoolField(8, keysOnly)
            writer.writeBoolField(9, countOnly)
            writer.writeInt64Field(10, minModRevision)
            writer.writeInt64Field(11, maxModRevision)
            writer.writeInt64Field(12, minCreateRevision)
            writer.writeInt64Field(13, maxCreateRevision)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: key = Array(try reader.readLengthDelimitedField(tag))
            case 2: rangeEnd = Array(try reader.readLengthDelimitedField(tag))
            case 3: limit = try reader.readInt64Field(tag)
            case 4: revision = try reader.readInt64Field(tag)
            case 5: sortOrder = SortOrder(rawValue: try reader.readInt32Field(tag)) ?? .none
            case 6: sortTarget = SortTarget(rawValue: try reader.readInt32Field(tag)) ?? .key
            case 7: serializable = try reader.readBoolField(tag)
            case 8: keysOnly = try reader.readBoolField(tag)
            case 9: countOnly = try reader.readBoolField(tag)
            case 10: minModRevision = try reader.readInt64Field(tag)
            case 11: maxModRevision = try reader.readInt64Field(tag)
            case 12: minCreateRevision = try reader.readInt64Field(tag)
            case 13: maxCreateRevision = try reader.readInt64Field(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
