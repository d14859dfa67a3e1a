import Foundation

/// A forward-only reader of JSON text that API types decode themselves from (``JSONReadable``),
/// without Codable's containers, boxing and runtime type lookups.
///
/// Strict about syntax like ``JSONParser`` (whose scanner it uses); a value of the wrong type
/// is a ``JSONParser/SyntaxError`` too. Callers that must report Codable's exact errors decode
/// again with `JSONDecoder` when it throws (see ``JSONReadable/decode(_:)``).
public struct JSONReader {
    var parser: JSONParser
    /// Object metadata read through this reader leaves `managedFields` out, unread (clients
    /// that never look at them, as kube-scheduler's informers drop them).
    public var skipsManagedFields = false
    /// Set by the API server while it reads a request body: the reader then notes, in the same
    /// pass, anything server-side field validation would have to look at (``needsFieldCheck``).
    public var checksFields = false
    /// After a read with ``checksFields``: false when the text had no field unknown to the
    /// types read and no key twice in one object, so field validation has nothing to report.
    /// True is a "maybe" (a key unknown to a type, a possible duplicate, a value decoded by
    /// `JSONDecoder`, an object too large to track): the caller checks the whole text.
    public internal(set) var needsFieldCheck = false
    /// With ``checksFields``: the keys read so far in each open object (flat), and where each
    /// open object's keys start.
    private var objectKeys: [String] = []
    private var objectStarts: [Int] = []
    /// Keys tracked per object; a larger object is left to the full check.
    public static let trackedKeysPerObject = 64

    public init(_ bytes: [UInt8]) {
        parser = JSONParser(bytes, recordDuplicates: false)
    }

    public init(_ bytes: some Sequence<UInt8>) {
        self.init(Array(bytes))
    }

    /// The byte offset of the next token.
    public var offset: Int { parser.index }

    func fail(_ message: String) -> JSONParser.SyntaxError { parser.fail(message) }

    @inline(__always)
    mutating func peek() -> UInt8? {
        parser.skipWhitespace()
        return parser.index < parser.bytes.count ? parser.bytes[parser.index] : nil
    }

    /// Only whitespace may follow the value read.
    public mutating func finish() throws(JSONParser.SyntaxError) {
        if peek() != nil { throw fail("unexpected data after the top-level value") }
    }

    // MARK: Objects and arrays

    /// Consumes `{`.
    public mutating func beginObject() throws(JSONParser.SyntaxError) {
        guard peek() == UInt8(ascii: "{") else { throw fail("expected an object") }
        try parser.enter()
        parser.index += 1
        if checksFields { objectStarts.append(objectKeys.count) }
    }

    /// The next key of the object being read (its value comes next), or nil after its `}`.
    /// `first` starts true for each object.
    public mutating func nextKey(_ first: inout Bool) throws(JSONParser.SyntaxError) -> String? {
        guard let byte = peek() else { throw fail("unexpected end of input in an object") }
        if byte == UInt8(ascii: "}") {
            parser.index += 1
            parser.depth -= 1
            if checksFields, let start = objectStarts.popLast() { objectKeys.removeSubrange(start...) }
            return nil
        }
        if first {
            first = false
        } else {
            guard byte == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
            parser.index += 1
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
        }
        guard parser.bytes[parser.index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
        let key = try parser.parseString()
        guard peek() == UInt8(ascii: ":") else { throw fail("expected ':'") }
        parser.index += 1
        if checksFields { note(key) }
        return key
    }

    /// Records `key` in the open object; a key seen before in it (or an object with more keys
    /// than are tracked) needs the full check.
    private mutating func note(_ key: String) {
        let start = objectStarts.last ?? 0
        if needsFieldCheck || objectKeys.count - start >= Self.trackedKeysPerObject || objectKeys[start...].contains(key) {
            needsFieldCheck = true
        } else {
            objectKeys.append(key)
        }
    }

    /// Skips the value of a key the type being read does not declare (generated readers call
    /// this for every key they do not know).
    public mutating func skipUnknownField() throws(JSONParser.SyntaxError) {
        if checksFields { needsFieldCheck = true }
        try skipValue()
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(JSONParser.SyntaxError) {
        guard peek() == UInt8(ascii: "[") else { throw fail("expected an array") }
        try parser.enter()
        parser.index += 1
    }

    /// Whether another element of the array being read follows (false after its `]`).
    /// `first` starts true for each array.
    public mutating func nextElement(_ first: inout Bool) throws(JSONParser.SyntaxError) -> Bool {
        guard let byte = peek() else { throw fail("unexpected end of input in an array") }
        if byte == UInt8(ascii: "]") {
            parser.index += 1
            parser.depth -= 1
            return false
        }
        if first {
            first = false
            return true
        }
        guard byte == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
        parser.index += 1
        return true
    }

    // MARK: Scalars

    /// Consumes `null` if it comes next.
    public mutating func readNull() throws(JSONParser.SyntaxError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try parser.literal("null")
        return true
    }

    public mutating func readString() throws(JSONParser.SyntaxError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        return try parser.parseString()
    }

    public mutating func readBool() throws(JSONParser.SyntaxError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"): try parser.literal("true"); return true
        case UInt8(ascii: "f"): try parser.literal("false"); return false
        default: throw fail("expected a boolean")
        }
    }

    /// An integer literal (no fraction or exponent) that fits Int64.
    public mutating func readInt64() throws(JSONParser.SyntaxError) -> Int64 {
        guard let first = peek() else { throw fail("expected an integer") }
        let start = parser.index
        let negative = first == UInt8(ascii: "-")
        if negative { parser.index += 1 }
        let bytes = parser.bytes
        var value: Int64 = 0
        var digits = 0
        while parser.index < bytes.count {
            let byte = bytes[parser.index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { break }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            if overflow1 || overflow2 { parser.index = start; throw fail("integer out of range") }
            value = next
            digits += 1
            parser.index += 1
        }
        if digits == 0 || (digits > 1 && bytes[start + (negative ? 1 : 0)] == UInt8(ascii: "0")) {
            parser.index = start
            throw fail("expected an integer")
        }
        if parser.index < bytes.count {
            switch bytes[parser.index] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                parser.index = start
                throw fail("expected an integer")
            default: break
            }
        }
        return value
    }

    public mutating func readInt32() throws(JSONParser.SyntaxError) -> Int32 {
        let start = parser.index
        let value = try readInt64()
        guard let narrow = Int32(exactly: value) else { parser.index = start; throw fail("integer out of range") }
        return narrow
    }

    public mutating func readDouble() throws(JSONParser.SyntaxError) -> Double {
        switch try readNumber() {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: throw fail("expected a number")
        }
    }

    /// A number as ``JSONParser`` reads it (`.int` or `.double`).
    mutating func readNumber() throws(JSONParser.SyntaxError) -> JSONValue {
        guard let byte = peek(), byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
            throw fail("expected a number")
        }
        return try parser.parseNumber()
    }

    /// Any JSON value, as a tree.
    public mutating func readValue() throws(JSONParser.SyntaxError) -> JSONValue {
        _ = peek()
        return try parser.parseValue()
    }

    /// Skips the next value; returns the byte range it took.
    /// Containers and strings are scanned without building anything (their nesting and string
    /// boundaries are checked; their scalars are checked when they are read, not here).
    @discardableResult
    public mutating func skipValue() throws(JSONParser.SyntaxError) -> Range<Int> {
        guard let byte = peek() else { throw fail("unexpected end of input") }
        let start = parser.index
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        case UInt8(ascii: "\""):
            try skipString()
        default:
            _ = try parser.parseValue()
        }
        return start..<parser.index
    }

    private mutating func skipString() throws(JSONParser.SyntaxError) {
        let bytes = parser.bytes
        var index = parser.index + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                parser.index = index + 1
                return
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func skipContainer() throws(JSONParser.SyntaxError) {
        let bytes = parser.bytes
        var open: [UInt8] = []
        while parser.index < bytes.count {
            let byte = bytes[parser.index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(byte)
                if open.count > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
                parser.index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let expected = byte == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")
                guard open.popLast() == expected else { throw fail("mismatched '\(Character(Unicode.Scalar(byte)))'") }
                parser.index += 1
                if open.isEmpty { return }
            case UInt8(ascii: "\""):
                try skipString()
            default:
                parser.index += 1
            }
        }
        throw fail("unexpected end of input in a container")
    }

    /// The bytes of the input in `range`.
    public func bytes(in range: Range<Int>) -> ArraySlice<UInt8> { parser.bytes[range] }

    // MARK: Typed values

    public mutating func read<Value: JSONReadable>(_ type: Value.Type) throws(JSONParser.SyntaxError) -> Value {
        try Value(json: &self)
    }

    /// Nil for `null`, otherwise the value (how Codable's `decodeIfPresent` reads a present key).
    public mutating func readIfPresent<Value: JSONReadable>(_ type: Value.Type) throws(JSONParser.SyntaxError) -> Value? {
        if try readNull() { return nil }
        return try Value(json: &self)
    }
}
