import ProtobufWire

extension EtcdRPC {
    /// `etcdserverpb.WatchResponse`.
    struct WatchResponse: EtcdMessage {
        var header: ResponseHeader?
        var watchID: Int64 = 0
        var created = false
        var canceled = false
        var compactRevision: Int64 = 0
        var cancelReason = ""
        var fragment = false
        var events: [Event] = []

        func encode(to writer: inout ProtobufWireWriter) {
            writer.writeMessageField(1, header)
            writer.writeInt64Field(2, watchID)
            writer.writeBoolField(3, created)
            writer.writeBoolField(4, canceled)
            writer.writeInt64Field(5, compactRevision)
            writer.writeStringField(6, cancelReason)
            writer.writeBoolField(7, fragment)
            writer.writeRepeatedMessageField(11, events)
        }

        mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError) {
            switch tag.field {
            case 1: header = try reader.readMessageField(tag)
            case 2: watchID = try reader.readInt64Field(tag)
            case 3: created = try reader.readBoolField(tag)
            case 4: canceled = try reader.readBoolField(tag)
            case 5: compactRevision = try reader.readInt64Field(tag)
            case 6: cancelReason = try reader.readStringField(tag)
            case 7: fragment = try reader.readBoolField(tag)
            case 11: events.append(try reader.readMessageField(tag))
            default: try reader.skip(tag.wireType)
            }
        }
    }
}
