/// A type that builds its own ``JSONValue`` tree: the generated API types (see `kube-model-gen`),
/// the apimachinery scalars and the standard containers. The tree is the one
/// ``JSONValueEncoder`` makes through `Encodable` (which uses this when it can), without
/// Codable's containers and runtime type lookups.
public protocol JSONTreeWritable {
    func jsonValue() throws(EncodingError) -> JSONValue
}

/// Hand-written API types without a writer of their own go through ``JSONValueEncoder``.
extension KubeType {
    public func jsonValue() throws(EncodingError) -> JSONValue {
        do {
            return try JSONTreeEncoder.tree(of: self, codingPath: [], writers: false)
        } catch let error as EncodingError {
            throw error
        } catch {
            throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "\(error)"))
        }
    }
}

extension String: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .string(self) }
}

extension Bool: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .bool(self) }
}

extension Int64: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .int(self) }
}

extension Int32: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .int(Int64(self)) }
}

extension Int: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .int(Int64(self)) }
}

extension Double: JSONTreeWritable {
    /// Integral values (below 1e16) become `.int`, as `JSONEncoder` writes them; non-finite
    /// values are an error.
    public func jsonValue() throws(EncodingError) -> JSONValue {
        guard isFinite else {
            throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "Unable to encode \(self) directly in JSON."))
        }
        if self == rounded(.towardZero), abs(self) < 1e16 { return .int(Int64(self)) }
        return .double(self)
    }
}

extension JSONValue: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { self }
}

extension Array: JSONTreeWritable where Element: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue {
        var items: [JSONValue] = []
        items.reserveCapacity(count)
        for element in self { items.append(try element.jsonValue()) }
        return .array(items)
    }
}

extension Dictionary: JSONTreeWritable where Key == String, Value: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(count)
        for (key, value) in self { object[key] = try value.jsonValue() }
        return .object(object)
    }
}

extension MetaV1.Time: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .string(rfc3339) }
}

extension MetaV1.MicroTime: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .string(rfc3339) }
}

extension IntOrString: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue {
        switch self {
        case .int(let value): .int(Int64(value))
        case .string(let value): .string(value)
        }
    }
}

extension Quantity: JSONTreeWritable {
    public func jsonValue() throws(EncodingError) -> JSONValue { .string(description) }
}
