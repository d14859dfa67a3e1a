/// The containers of ``JSONTreeEncoder``: each writes finished values into its node.
struct JSONTreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONTreeNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        node.set(key.stringValue, try JSONTreeEncoder.number(value, codingPath: codingPath + [key]))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        node.set(key.stringValue, try JSONTreeEncoder.number(Double(value), codingPath: codingPath + [key]))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.set(key.stringValue, .int(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { node.set(key.stringValue, JSONTreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { node.set(key.stringValue, JSONTreeEncoder.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.set(key.stringValue, try JSONTreeEncoder.tree(of: value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = nested(key)
        child.makeObject()
        return KeyedEncodingContainer(JSONTreeKeyedContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = nested(key)
        child.makeArray()
        return JSONTreeUnkeyedContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        JSONTreeEncoder(codingPath: codingPath + [JSONTreeIndexKey(stringValue: "super")], node: nested("super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONTreeEncoder(codingPath: codingPath + [key], node: nested(key.stringValue))
    }

    private func nested(_ key: Key) -> JSONTreeNode { nested(key.stringValue) }

    private func nested(_ key: String) -> JSONTreeNode {
        let child = JSONTreeNode()
        node.nestedByKey[key] = child
        return child
    }
}

struct JSONTreeUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONTreeNode
    let codingPath: [any CodingKey]
    var count: Int { node.arrayCount }

    private var indexKey: JSONTreeIndexKey { JSONTreeIndexKey(intValue: count) }

    mutating func encodeNil() throws { node.append(.null) }
    mutating func encode(_ value: Bool) throws { node.append(.bool(value)) }
    mutating func encode(_ value: String) throws { node.append(.string(value)) }
    mutating func encode(_ value: Double) throws {
        node.append(try JSONTreeEncoder.number(value, codingPath: codingPath + [indexKey]))
    }
    mutating func encode(_ value: Float) throws {
        node.append(try JSONTreeEncoder.number(Double(value), codingPath: codingPath + [indexKey]))
    }
    mutating func encode(_ value: Int) throws { node.append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { node.append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { node.append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { node.append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { node.append(.int(value)) }
    mutating func encode(_ value: UInt) throws { node.append(JSONTreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { node.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { node.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { node.append(JSONTreeEncoder.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try JSONTreeEncoder.tree(of: value, codingPath: codingPath + [indexKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = indexKey
        let child = placeholder()
        child.makeObject()
        return KeyedEncodingContainer(JSONTreeKeyedContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = indexKey
        let child = placeholder()
        child.makeArray()
        return JSONTreeUnkeyedContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let key = indexKey
        return JSONTreeEncoder(codingPath: codingPath + [key], node: placeholder())
    }

    /// A child node for the next element; a null holds its place until the tree is finished.
    private func placeholder() -> JSONTreeNode {
        let child = JSONTreeNode()
        node.nestedByIndex.append((node.arrayCount, child))
        node.append(.null)
        return child
    }
}

struct JSONTreeSingleValueContainer: SingleValueEncodingContainer {
    let node: JSONTreeNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.shape = .single(.null) }
    mutating func encode(_ value: Bool) throws { node.shape = .single(.bool(value)) }
    mutating func encode(_ value: String) throws { node.shape = .single(.string(value)) }
    mutating func encode(_ value: Double) throws { node.shape = .single(try JSONTreeEncoder.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws {
        node.shape = .single(try JSONTreeEncoder.number(Double(value), codingPath: codingPath))
    }
    mutating func encode(_ value: Int) throws { node.shape = .single(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { node.shape = .single(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { node.shape = .single(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { node.shape = .single(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { node.shape = .single(.int(value)) }
    mutating func encode(_ value: UInt) throws { node.shape = .single(JSONTreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.shape = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { node.shape = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { node.shape = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { node.shape = .single(JSONTreeEncoder.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.shape = .single(try JSONTreeEncoder.tree(of: value, codingPath: codingPath))
    }
}

/// A coding key for array positions and `super`.
struct JSONTreeIndexKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
