/// A value that writes its JSON text straight into a byte buffer: compact, object keys in
/// sorted order, byte for byte what ``JSONTreeWritable/jsonValue()`` followed by
/// ``JSONValue/serialized(sortedKeys:)`` makes, without building the tree (the generated API
/// types write their fields in a key order fixed when they were generated). The API server stores
/// objects in this form, and clients send their requests in it.
public protocol JSONWritable {
    func writeJSON(to out: inout [UInt8]) throws(EncodingError)
}

extension JSONWritable {
    /// The value's JSON text.
    public func jsonBytes() throws(EncodingError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        try writeJSON(to: &out)
        return out
    }
}

/// Hand-written API types without a writer of their own write their tree.
extension KubeType {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) {
        try jsonValue().write(to: &out, sortedKeys: true)
    }
}

extension String: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { JSONValue.writeString(self, to: &out) }
}

extension Bool: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { out.append(contentsOf: (self ? "true" : "false").utf8) }
}

extension Int64: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { JSONValue.writeInteger(self, to: &out) }
}

extension Int32: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { JSONValue.writeInteger(Int64(self), to: &out) }
}

extension Int: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { JSONValue.writeInteger(Int64(self), to: &out) }
}

extension Double: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { try jsonValue().write(to: &out, sortedKeys: true) }
}

extension JSONValue: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { write(to: &out, sortedKeys: true) }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) {
        out.append(UInt8(ascii: "["))
        var first = true
        for element in self {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            try element.writeJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    /// Keys in the order ``JSONValue/serialized(sortedKeys:)`` sorts them.
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) {
        out.append(UInt8(ascii: "{"))
        var first = true
        func member(_ key: String, _ value: Value) throws(EncodingError) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONValue.writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            try value.writeJSON(to: &out)
        }
        if count > 1 {
            for (key, value) in sorted(by: { $0.key < $1.key }) { try member(key, value) }
        } else {
            for (key, value) in self { try member(key, value) }
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension MetaV1.Time: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { JSONValue.writeString(rfc3339, to: &out) }
}

extension MetaV1.MicroTime: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { JSONValue.writeString(rfc3339, to: &out) }
}

extension IntOrString: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) {
        switch self {
        case .int(let value): JSONValue.writeInteger(Int64(value), to: &out)
        case .string(let value): JSONValue.writeString(value, to: &out)
        }
    }
}

extension Quantity: JSONWritable {
    public func writeJSON(to out: inout [UInt8]) throws(EncodingError) { JSONValue.writeString(description, to: &out) }
}

extension JSONValue {
    /// Writes an object member's key, already quoted with its colon (`"name":`), after a comma
    /// unless it is the object's first member (for the generated writers).
    public static func writeKey(_ quotedKey: StaticString, first: inout Bool, to out: inout [UInt8]) {
        if first {
            first = false
        } else {
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: UnsafeBufferPointer(start: quotedKey.utf8Start, count: quotedKey.utf8CodeUnitCount))
    }
}
