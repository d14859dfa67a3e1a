import GRPCTransport

/// A streaming call's responses decoded as etcd messages.
struct EtcdResponseStream<Message: EtcdMessage>: AsyncSequence {
    typealias Element = Message

    let messages: GRPCResponseMessages
    let path: String

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(messages: messages.makeAsyncIterator(), path: path)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var messages: GRPCResponseMessages.AsyncIterator
        let path: String

        mutating func next() async throws -> Message? {
            guard let bytes = try await messages.next() else { return nil }
            return try Message(decodingResponse: bytes[...], path: path)
        }
    }
}
