import ProtobufWire

/// A message of etcd's v3 gRPC API, hand-written from `api/etcdserverpb/rpc.proto` and
/// `api/mvccpb/kv.proto` (the trimmed copies are in Sources/KubeStoreEtcd/Protos): same field
/// numbers and types, proto3 defaults (zero values are not written), unknown fields skipped.
protocol EtcdMessage: Sendable, Equatable {
    init()
    /// Writes the message's fields in field-number order, as protoc-generated code does.
    func encode(to writer: inout ProtobufWireWriter)
    /// Reads the value of one field whose tag was just read; skips fields it does not know.
    mutating func decodeField(_ tag: ProtobufWireReader.Tag, from reader: inout ProtobufWireReader) throws(ProtobufDecodingError)
}

extension EtcdMessage {
    /// The message's protobuf encoding.
    func serializedBytes() -> [UInt8] {
        var writer = ProtobufWireWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// Decodes a message from its protobuf encoding.
    init(serializedBytes bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) {
        self.init()
        var reader = ProtobufWireReader(bytes)
        while let tag = try reader.readTag() { try decodeField(tag, from: &reader) }
    }

    init(serializedBytes bytes: [UInt8]) throws(ProtobufDecodingError) {
        try self.init(serializedBytes: bytes[...])
    }
}

extension ProtobufWireWriter {
    /// A singular message field: written (even when empty) when present.
    mutating func writeMessageField(_ field: Int, _ message: (some EtcdMessage)?) {
        guard let message else { return }
        writeMessageField(field) { message.encode(to: &$0) }
    }

    /// A repeated message field: one length-delimited entry per element.
    mutating func writeRepeatedMessageField(_ field: Int, _ messages: [some EtcdMessage]) {
        for message in messages { writeMessageField(field) { message.encode(to: &$0) } }
    }
}

extension ProtobufWireReader {
    mutating func readMessageField<Message: EtcdMessage>(
        _ tag: Tag, as type: Message.Type = Message.self
    ) throws(ProtobufDecodingError) -> Message {
        try Message(serializedBytes: readLengthDelimitedField(tag))
    }
}
