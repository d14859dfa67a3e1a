import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.Compare`.
    struct Compare: EtcdMessage {
        enum CompareResult: Int32, Sendable {
            case equal = 0
            case greater = 1
            case less = 2
            case notEqual = 3
        }

        enum CompareTarget: Int32, Sendable {
            case version = 0
            case create = 1
            case mod = 2
            case value = 3
            case lease = 4
        }

        /// The `target_union` oneof: the value compared against (written even when zero).
        enum TargetUnion: Equatable, Sendable {
            case version(Int64)
            case createRevision(Int64)
            case modRevision(Int64)
            case value([UInt8])
            case lease(Int64)
        }

        var result: CompareResult = .equal
        var target: CompareTarget = .version
        var key: [UInt8] = []
        var targetUnion: TargetUnion?
        var rangeEnd: [UInt8] = []

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeInt64Field(1, Int64(result.rawValue))
            writer.writeInt64Field(2, Int64(target.rawValue))
            writer.writeBytesField(3, key)
            switch targetUnion {
            case .version(let value): writer.writeInt64Field(4, value, always: true)
            case .createRevision(let value): writer.writeInt64Field(5, value, always: true)
            case .modRevision(let value): writer.writeInt64Field(6, value, always: true)
            case .value(let value): writer.writeBytesField(7, value, always: true)
            case .lease(let value): writer.writeInt64Field(8, value, always: true)
            case nil: break
            }
            writer.writeBytesField(64, rangeEnd)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: result = CompareResult(rawValue: try reader.readInt32Field(tag)) ?? .equal
            case 2: target = CompareTarget(rawValue: try reader.readInt32Field(tag)) ?? .version
            case 3: key = Array(try reader.readLengthDelimitedField(tag))
            case 4: targetUnion = .version(try reader.readInt64Field(tag))
            case 5: targetUnion = .createRevision(try reader.readInt64Field(tag))
            case 6: targetUnion = .modRevision(try reader.readInt64Field(tag))
            case 7: targetUnion = .value(Array(try reader.readLengthDelimitedField(tag)))
            case 8: targetUnion = .lease(try reader.readInt64Field(tag))
            case 64: rangeEnd = Array(try reader.readLengthDelimitedField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
