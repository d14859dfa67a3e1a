import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.WatchCreateRequest`.
    struct WatchCreateRequest: EtcdMessage {
        enum FilterType: Int32, Sendable {
            case noPut = 0
            case noDelete = 1
        }

        var key: [UInt8] = []
        var rangeEnd: [UInt8] = []
        var startRevision: Int64 = 0
        var progressNotify = false
        /// A packed repeated enum.
        var filters: [FilterType] = []
        var prevKV = false
        var watchID: Int64 = 0
        var fragment = false

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeBytesField(1, key)
            writer.writeBytesField(2, rangeEnd)
            writer.writeInt64Field(3, startRevision)
            writer.writeBoolField(4, progressNotify)
            writer.writePackedVarintField(5, filters.map { UInt64(bitPattern: Int64($0.rawValue)) })
            writer.writeBoolField(6, prevKV)
            writer.writeInt64Field(7, watchID)
            writer.writeBoolField(8, fragment)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: key = Array(try reader.readLengthDelimitedField(tag))
            case 2: rangeEnd = Array(try reader.readLengthDelimitedField(tag))
            case 3: startRevision = try reader.readInt64Field(tag)
            case 4: progressNotify = try reader.readBoolField(tag)
            case 5:
                var raw: [UInt64] = []
                try reader.readRepeatedVarintField(tag, into: &raw)
                filters += raw.compactMap { FilterType(rawValue: Int32(truncatingIfNeeded: $0)) }
            case 6: prevKV = try reader.readBoolField(tag)
            case 7: watchID = try reader.readInt64Field(tag)
            case 8: fragment = try reader.readBoolField(tag)
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
