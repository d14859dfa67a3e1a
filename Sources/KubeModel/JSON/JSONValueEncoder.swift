/// Encodes an `Encodable` value straight into a ``JSONValue`` tree: what
/// `JSONParser.parse(JSONEncoder().encode(value))` gives, without writing and re-reading the
/// text. The API server's write path looks at objects as trees (generation checks, merges,
/// managedFields) and stores them as bytes written from the same tree.
///
/// Matches `JSONEncoder`'s default strategies for the types API objects use: integers become
/// `.int`, floating-point numbers `.double` unless integral (non-finite ones are an error), nil from
/// `encodeNil` becomes `.null`, and a value that encodes nothing becomes an empty object.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONTreeEncoder.tree(of: value, codingPath: [])
    }
}

/// A node under construction. Keyed and unkeyed containers write finished values into it;
/// nested containers (rare in generated code) get child nodes that are folded in at the end.
final class JSONTreeNode {
    enum Shape {
        case unset
        case single(JSONValue)
        case object([String: JSONValue])
        case array([JSONValue])
    }

    var shape: Shape = .unset
    /// Nested containers and super-encoders of an object, by key.
    var nestedByKey: [String: JSONTreeNode] = [:]
    /// Nested containers of an array, by index (a placeholder sits in the array until then).
    var nestedByIndex: [(Int, JSONTreeNode)] = []

    func makeObject() {
        switch shape {
        case .object: return
        default: shape = .object([:])
        }
    }

    func makeArray() {
        switch shape {
        case .array: return
        default: shape = .array([])
        }
    }

    func set(_ key: String, _ value: JSONValue) {
        guard case .object(var object) = shape else { return }
        shape = .unset
        object[key] = value
        shape = .object(object)
    }

    func append(_ value: JSONValue) {
        guard case .array(var array) = shape else { return }
        shape = .unset
        array.append(value)
        shape = .array(array)
    }

    var arrayCount: Int {
        if case .array(let array) = shape { return array.count }
        return 0
    }

    func finished() -> JSONValue {
        switch shape {
        case .unset:
            return .object([:])
        case .single(let value):
            return value
        case .object(var object):
            for (key, node) in nestedByKey { object[key] = node.finished() }
            return .object(object)
        case .array(var array):
            for (index, node) in nestedByIndex { array[index] = node.finished() }
            return .array(array)
        }
    }
}

final class JSONTreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let node: JSONTreeNode

    init(codingPath: [any CodingKey], node: JSONTreeNode = JSONTreeNode()) {
        self.codingPath = codingPath
        self.node = node
    }

    /// The tree of one value: scalars and ``JSONValue`` directly, anything else by encoding it.
    /// `writers`: whether a ``JSONTreeWritable`` value builds its own tree (false when a
    /// writer falls back to `Encodable` itself).
    static func tree<T: Encodable>(of value: T, codingPath: [any CodingKey], writers: Bool = true) throws -> JSONValue {
        if T.self == JSONValue.self { return value as! JSONValue }
        if T.self == String.self { return .string(value as! String) }
        if writers, let writable = value as? any JSONTreeWritable { return try writable.jsonValue() }
        let encoder = JSONTreeEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.node.finished()
    }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath,
                                                          debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        // JSONEncoder writes an integral double without its ".0" (below 1e16, where Swift's
        // description switches to exponents), which reads back as an integer.
        if value == value.rounded(.towardZero), abs(value) < 1e16 { return .int(Int64(value)) }
        return .double(value)
    }

    static func integer<I: BinaryInteger>(_ value: I) -> JSONValue {
        if let exact = Int64(exactly: value) { return .int(exact) }
        return .double(Double(value))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(JSONTreeKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return JSONTreeUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONTreeSingleValueContainer(node: node, codingPath: codingPath)
    }
}
