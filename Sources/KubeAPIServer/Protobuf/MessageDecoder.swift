import Foundation
import KubeModel
import ProtobufWire

/// Decodes one protobuf message into its JSON form, table-driven (see ``KubeProtobufDecoder``).
struct MessageDecoder {
    typealias Field = ProtobufMessageTable.Field
    typealias ScalarType = ProtobufMessageTable.ScalarType

    let table: ProtobufMessageTable
    let depth: Int

    /// The fields of `message` as a JSON object (inlined fields merged in).
    func object(_ bytes: ArraySlice<UInt8>, message: ProtobufMessageTable.Message) throws(ProtobufDecodingError) -> [String: JSONValue] {
        guard depth <= KubeProtobufDecoder.maxDepth else {
            throw ProtobufDecodingError("messages nested deeper than \(KubeProtobufDecoder.maxDepth) levels")
        }
        var scalars: [Int: JSONValue] = [:]
        var messages: [Int: [UInt8]] = [:]
        var lists: [Int: [JSONValue]] = [:]
        var maps: [Int: [String: JSONValue]] = [:]
        var reader = ProtobufWireReader(bytes)
        while let tag = try reader.readTag() {
            guard let field = message.fields[tag.field] else {
                try reader.skip(tag.wireType)
                continue
            }
            switch (field.label, field.type) {
            case (.singular, .scalar(let type)):
                scalars[field.number] = try scalar(type, tag.wireType, &reader, field, in: message)
            case (.singular, .message):
                // Repeated occurrences of a message field merge, which is decoding their concatenation.
                messages[field.number, default: []].append(contentsOf: try lengthDelimited(tag, &reader, field, in: message))
            case (.repeated, .scalar(let type)):
                if tag.wireType == .lengthDelimited && type != .string && type != .bytes {
                    var packed = ProtobufWireReader(try reader.readLengthDelimited())
                    while !packed.isAtEnd {
                        lists[field.number, default: []].append(try scalar(type, Self.wireType(of: type), &packed, field, in: message))
                    }
                } else {
                    lists[field.number, default: []].append(try scalar(type, tag.wireType, &reader, field, in: message))
                }
            case (.repeated, .message(let name)):
                let element = try lengthDelimited(tag, &reader, field, in: message)
                lists[field.number, default: []].append(try nested().value(ofMessage: name, element) ?? .null)
            case (.map(let keyType), let valueType):
                let entry = try lengthDelimited(tag, &reader, field, in: message)
                let (key, value) = try mapEntry(entry, keyType: keyType, valueType: valueType, field: field, in: message)
                maps[field.number, default: [:]][key] = value
            }
        }
        var object: [String: JSONValue] = [:]
        for field in message.fields.values {
            if let value = scalars[field.number] {
                if field.required || !Self.isZero(value) || ProtobufPointerFields.isPointer(field.jsonName, in: message.name) {
                    object[field.jsonName] = value
                }
            } else if let bytes = messages[field.number], case .message(let name) = field.type {
                if field.inline, let inlined = table.messages[name] {
                    object.merge(try nested().object(bytes[...], message: inlined)) { _, new in new }
                } else if let value = try nested().value(ofMessage: name, bytes[...]) {
                    object[field.jsonName] = value
                }
            } else if let list = lists[field.number] {
                object[field.jsonName] = .array(list)
            } else if let map = maps[field.number] {
                object[field.jsonName] = .object(map)
            }
        }
        return object
    }

    /// The JSON value of a message of type `name`: an object, or the special form of a well-known
    /// type (time, quantity, int-or-string, raw JSON…). nil when Go would write `null`.
    func value(ofMessage name: String, _ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> JSONValue? {
        if let special = try specialValue(ofMessage: name, bytes) { return special.value }
        guard let message = table.messages[name] else {
            throw ProtobufDecodingError("no protobuf layout is known for message \(name)")
        }
        let object = try object(bytes, message: message)
        if message.isList {
            let items = message.fields.values.first.flatMap { object[$0.jsonName] }
            return items ?? .array([])
        }
        return .object(object)
    }

    func nested() -> MessageDecoder { MessageDecoder(table: table, depth: depth + 1) }

    // MARK: Scalars

    private func scalar(_ type: ScalarType, _ wireType: ProtobufWireReader.WireType, _ reader: inout ProtobufWireReader,
                        _ field: Field, in message: ProtobufMessageTable.Message) throws(ProtobufDecodingError) -> JSONValue {
        let expected = Self.wireType(of: type)
        guard wireType == expected else {
            throw ProtobufDecodingError("\(message.name).\(field.jsonName) (field \(field.number)): expected \(expected), got \(wireType)")
        }
        switch type {
        case .string: return .string(String(decoding: try reader.readLengthDelimited(), as: UTF8.self))
        case .bytes: return .string(Data(try reader.readLengthDelimited()).base64EncodedString())
        case .bool: return .bool(try reader.readVarint() != 0)
        case .int32: return .int(Int64(Int32(truncatingIfNeeded: try reader.readVarint())))
        case .int64: return .int(Int64(bitPattern: try reader.readVarint()))
        case .uint32: return .int(Int64(UInt32(truncatingIfNeeded: try reader.readVarint())))
        case .uint64: return Self.unsigned(try reader.readVarint())
        case .sint32, .sint64:
            let raw = try reader.readVarint()
            let value = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
            return .int(type == .sint32 ? Int64(Int32(truncatingIfNeeded: value)) : value)
        case .fixed32: return .int(Int64(try reader.readFixed32()))
        case .sfixed32: return .int(Int64(Int32(bitPattern: try reader.readFixed32())))
        case .fixed64: return Self.unsigned(try reader.readFixed64())
        case .sfixed64: return .int(Int64(bitPattern: try reader.readFixed64()))
        case .double: return try Self.finite(Double(bitPattern: try reader.readFixed64()), field)
        case .float: return try Self.finite(Double(Float(bitPattern: try reader.readFixed32())), field)
        }
    }

    static func wireType(of type: ScalarType) -> ProtobufWireReader.WireType {
        switch type {
        case .string, .bytes: .lengthDelimited
        case .fixed64, .sfixed64, .double: .fixed64
        case .fixed32, .sfixed32, .float: .fixed32
        default: .varint
        }
    }

    private static func unsigned(_ value: UInt64) -> JSONValue {
        value <= UInt64(Int64.max) ? .int(Int64(value)) : .double(Double(value))
    }

    private static func finite(_ value: Double, _ field: Field) throws(ProtobufDecodingError) -> JSONValue {
        guard value.isFinite else { throw ProtobufDecodingError("\(field.jsonName): \(value) has no JSON form") }
        return .double(value)
    }

    /// Go's zero values, which `omitempty` leaves out.
    static func isZero(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let s): s.isEmpty
        case .int(let i): i == 0
        case .double(let d): d == 0
        case .bool(let b): !b
        default: false
        }
    }

    // MARK: Length-delimited fields and map entries

    private func lengthDelimited(_ tag: ProtobufWireReader.Tag, _ reader: inout ProtobufWireReader, _ field: Field,
                                 in message: ProtobufMessageTable.Message) throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
        guard tag.wireType == .lengthDelimited else {
            throw ProtobufDecodingError("\(message.name).\(field.jsonName) (field \(field.number)): expected length-delimited, got \(tag.wireType)")
        }
        return try reader.readLengthDelimited()
    }

    /// A map entry message: key 1, value 2; a missing key or value is its zero value.
    private func mapEntry(_ bytes: ArraySlice<UInt8>, keyType: ScalarType, valueType: ProtobufMessageTable.FieldType,
                          field: Field, in message: ProtobufMessageTable.Message) throws(ProtobufDecodingError) -> (String, JSONValue) {
        var key: JSONValue?
        var value: JSONValue?
        var valueBytes: [UInt8] = []
        var reader = ProtobufWireReader(bytes)
        while let tag = try reader.readTag() {
            switch tag.field {
            case 1: key = try scalar(keyType, tag.wireType, &reader, field, in: message)
            case 2:
                switch valueType {
                case .scalar(let type): value = try scalar(type, tag.wireType, &reader, field, in: message)
                case .message:
                    valueBytes.append(contentsOf: try lengthDelimited(tag, &reader, field, in: message))
                }
            default: try reader.skip(tag.wireType)
            }
        }
        if case .message(let name) = valueType {
            value = try nested().value(ofMessage: name, valueBytes[...]) ?? .null
        }
        let keyText: String
        switch key ?? Self.zero(keyType) {
        case .string(let s): keyText = s
        case .int(let i): keyText = String(i)
        case .bool(let b): keyText = b ? "true" : "false"
        case .double(let d): keyText = String(d)
        default: keyText = ""
        }
        if case .scalar(let type) = valueType, value == nil { value = Self.zero(type) }
        return (keyText, value ?? .null)
    }

    static func zero(_ type: ScalarType) -> JSONValue {
        switch type {
        case .string, .bytes: .string("")
        case .bool: .bool(false)
        case .double, .float: .double(0)
        default: .int(0)
        }
    }
}
