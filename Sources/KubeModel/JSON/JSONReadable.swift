import Foundation

/// A type that reads itself from JSON text with a ``JSONReader``: the generated API types (see
/// `kube-model-gen`), the apimachinery scalars and the standard containers. Decoding this way
/// gives the same value as `JSONDecoder` for well-formed input, several times faster.
public protocol JSONReadable {
    init(json reader: inout JSONReader) throws(JSONParser.SyntaxError)
}

extension JSONReadable where Self: Decodable {
    /// Decodes one JSON document. On any problem it decodes again with `JSONDecoder`, so errors
    /// (and the rare input only Codable accepts) come out exactly as before.
    public static func decode(_ bytes: some Collection<UInt8>) throws -> Self {
        var reader = JSONReader(Array(bytes))
        do throws(JSONParser.SyntaxError) {
            let value = try Self(json: &reader)
            try reader.finish()
            return value
        } catch {
            return try JSONDecoder().decode(Self.self, from: Data(bytes))
        }
    }
}

/// Hand-written API types that have no reader of their own decode the value's bytes with
/// `JSONDecoder` (correct, just not faster).
extension KubeType {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        // What JSONDecoder reads here is not looked into for unknown or duplicate fields.
        if reader.checksFields { reader.needsFieldCheck = true }
        let start = reader.offset
        let range = try reader.skipValue()
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(reader.bytes(in: range)))
        } catch {
            throw JSONParser.SyntaxError(offset: start, message: "\(error)")
        }
    }
}

extension String: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) { self = try reader.readString() }
}

extension Bool: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) { self = try reader.readBool() }
}

extension Int64: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) { self = try reader.readInt64() }
}

extension Int32: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) { self = try reader.readInt32() }
}

extension Int: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) { self = Int(try reader.readInt64()) }
}

extension Double: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) { self = try reader.readDouble() }
}

extension JSONValue: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) { self = try reader.readValue() }
}

extension Array: JSONReadable where Element: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        self = []
        try reader.beginArray()
        var first = true
        while try reader.nextElement(&first) {
            append(try Element(json: &reader))
        }
    }
}

extension Dictionary: JSONReadable where Key == String, Value: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        self = [:]
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(&first) {
            self[key] = try Value(json: &reader)
        }
    }
}

extension MetaV1.Time: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        let start = reader.offset
        let text = try reader.readString()
        guard let parsed = RFC3339.parse(text) else {
            throw JSONParser.SyntaxError(offset: start, message: "invalid RFC 3339 time \"\(text)\"")
        }
        self.init(secondsSinceEpoch: parsed.seconds)
    }
}

extension MetaV1.MicroTime: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        let start = reader.offset
        let text = try reader.readString()
        guard let parsed = MetaV1.MicroTime(rfc3339: text) else {
            throw JSONParser.SyntaxError(offset: start, message: "invalid RFC 3339 time \"\(text)\"")
        }
        self = parsed
    }
}

extension IntOrString: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        if reader.peek() == UInt8(ascii: "\"") {
            self = .string(try reader.readString())
        } else {
            self = .int(try reader.readInt32())
        }
    }
}

extension Quantity: JSONReadable {
    /// Strings only: numbers (rare, never stored) take the Codable path, which has the rules.
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        let start = reader.offset
        let text = try reader.readString()
        do {
            self = try Quantity(parsing: Quantity.trimmingSpaces(text))
        } catch {
            throw JSONParser.SyntaxError(offset: start, message: "invalid quantity \"\(text)\"")
        }
    }
}
