/// Heap storage for a recursive property (a struct cannot contain itself inline), e.g.
/// `JSONSchemaProps.not`. Immutable, so sharing it between copies is safe.
public final class Box<Value: Sendable & Equatable>: Sendable, Equatable {
    public let value: Value

    public init(_ value: Value) { self.value = value }

    public static func == (lhs: Box, rhs: Box) -> Bool { lhs === rhs || lhs.value == rhs.value }
}
