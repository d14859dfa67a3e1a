import KubeModel
import ProtobufWire

/// The protobuf layout of the Kubernetes API types: which message a kind is, and for every message
/// its fields (number, JSON name, type, label). Loaded from the generated table (api/protobuf-fields.json,
/// embedded as ``ProtobufFieldTable``).
struct ProtobufMessageTable: Sendable {
    enum ScalarType: String, Sendable {
        case string, bytes, bool, int32, int64, uint32, uint64, sint32, sint64
        case fixed32, fixed64, sfixed32, sfixed64, double, float
    }

    enum FieldType: Sendable, Equatable {
        case scalar(ScalarType)
        case message(String)
    }

    enum Label: Sendable, Equatable {
        case singular
        case repeated
        /// `map<key, value>`: entries are messages with key 1 and value 2; the field type is the value's.
        case map(key: ScalarType)
    }

    struct Field: Sendable {
        var number: Int
        var jsonName: String
        var type: FieldType
        var label: Label
        /// A Go embedded struct: its fields appear in the parent's JSON object.
        var inline: Bool
        /// Always serialised by Go (no `omitempty`): a zero scalar is kept.
        var required: Bool
    }

    struct Message: Sendable {
        var name: String
        var fields: [Int: Field]
        /// A Go slice type (`ExtraValue`, `Verbs`): its one repeated field is the JSON value.
        var isList: Bool
    }

    /// `"apps/v1/Deployment"` → message name.
    let kinds: [String: String]
    let messages: [String: Message]

    /// The table compiled into the server.
    static let shared: ProtobufMessageTable = {
        do {
            return try ProtobufMessageTable(json: JSONParser.parse(ProtobufFieldTable.json.utf8))
        } catch {
            preconditionFailure("the embedded protobuf field table is invalid: \(error)")
        }
    }()

    func message(forAPIVersion apiVersion: String, kind: String) -> Message? {
        kinds["\(apiVersion)/\(kind)"].flatMap { messages[$0] }
    }

    init(json: JSONValue) throws(ProtobufDecodingError) {
        guard case .object(let kindObject)? = json["kinds"], case .object(let messageObject)? = json["messages"] else {
            throw ProtobufDecodingError("protobuf table: kinds and messages expected")
        }
        var kinds: [String: String] = [:]
        for (key, value) in kindObject {
            guard let name = value.stringValue else { throw ProtobufDecodingError("protobuf table: bad kind \(key)") }
            kinds[key] = name
        }
        var messages: [String: Message] = [:]
        for (name, value) in messageObject {
            guard case .array(let entries)? = value["fields"] else {
                throw ProtobufDecodingError("protobuf table: \(name) has no fields")
            }
            var fields: [Int: Field] = [:]
            for entry in entries {
                let field = try Self.field(entry, in: name)
                fields[field.number] = field
            }
            let isList: Bool
            if case .bool(true)? = value["list"] { isList = true } else { isList = false }
            messages[name] = Message(name: name, fields: fields, isList: isList)
        }
        self.kinds = kinds
        self.messages = messages
    }

    private static func field(_ entry: JSONValue, in message: String) throws(ProtobufDecodingError) -> Field {
        guard case .array(let parts) = entry, parts.count >= 4,
              case .int(let number) = parts[0], let jsonName = parts[1].stringValue,
              let typeName = parts[2].stringValue, let flags = parts[3].stringValue
        else { throw ProtobufDecodingError("protobuf table: malformed field in \(message)") }
        let type: FieldType = ScalarType(rawValue: typeName).map(FieldType.scalar) ?? .message(typeName)
        var label = Label.singular
        if flags.contains("r") { label = .repeated }
        if flags.contains("m") {
            guard parts.count == 5, let keyName = parts[4].stringValue, let key = ScalarType(rawValue: keyName) else {
                throw ProtobufDecodingError("protobuf table: map \(message).\(jsonName) has no scalar key type")
            }
            label = .map(key: key)
        }
        return Field(number: Int(number), jsonName: jsonName, type: type, label: label,
                     inline: flags.contains("i"), required: flags.contains("q"))
    }
}
