/// A protobuf body that cannot be decoded (malformed bytes, unknown message, depth exceeded).
public struct ProtobufDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(_ message: String) { self.message = message }
}
