import GRPCCore
import SwiftProtobuf

// gRPC message coding for the generated etcd messages. grpc-swift-protobuf provides the same two
// adapters, but depending on it makes every clean build compile its protoc plugins (and their
// code generator) as well; scripts/generate-etcd-protos.sh points the generated clients here.

/// Serialises a SwiftProtobuf message for a gRPC request.
struct ProtobufSerializer<Message: SwiftProtobuf.Message>: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
        do {
            let bytes: [UInt8] = try message.serializedBytes()
            return Bytes(bytes)
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot serialize \(Message.self)", cause: error)
        }
    }
}

/// Parses a gRPC response into a SwiftProtobuf message.
struct ProtobufDeserializer<Message: SwiftProtobuf.Message>: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
        do {
            let bytes = serializedMessageBytes.withUnsafeBytes { Array($0) }
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot deserialize \(Message.self)", cause: error)
        }
    }
}
