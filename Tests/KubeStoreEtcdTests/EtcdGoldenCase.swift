import ProtobufWire
import Testing

@testable import KubeStoreEtcd

/// One golden fixture: a message, type-erased to what the tests need.
struct EtcdGoldenCase: Sendable, CustomTestStringConvertible {
    let name: String
    let encoded: [UInt8]
    /// Decodes bytes as the fixture's message type and reports whether the result equals it.
    let decodesToFixture: @Sendable ([UInt8]) throws -> Bool

    init<Message: EtcdMessage>(_ name: String, _ message: Message) {
        self.name = name
        encoded = message.serializedBytes()
        decodesToFixture = { try Message(serializedBytes: $0) == message }
    }

    var testDescription: String { name }
}
