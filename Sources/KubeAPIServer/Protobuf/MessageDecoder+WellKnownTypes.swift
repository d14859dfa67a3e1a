import KubeModel
import ProtobufWire

/// Messages whose JSON form is not field-by-field: they marshal themselves in Go.
extension MessageDecoder {
    /// The JSON of a well-known message; `value` nil where Go writes `null` (a zero time, an empty raw
    /// extension). nil for any other message.
    struct SpecialValue {
        var value: JSONValue?
    }

    private static let meta = "k8s.io.apimachinery.pkg.apis.meta.v1."
    private static let apiextensions = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1."

    func specialValue(ofMessage name: String, _ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> SpecialValue? {
        switch name {
        case Self.meta + "Time":
            // Go writes nothing for the zero time and `null` in JSON; otherwise seconds precision, UTC.
            guard !bytes.isEmpty else { return SpecialValue(value: nil) }
            let (seconds, _) = try timestamp(bytes)
            return SpecialValue(value: .string(MetaV1.Time(secondsSinceEpoch: seconds).rfc3339))
        case Self.meta + "MicroTime":
            guard !bytes.isEmpty else { return SpecialValue(value: nil) }
            let (seconds, nanos) = try timestamp(bytes)
            let micros = seconds * 1_000_000 + nanos / 1000
            return SpecialValue(value: .string(MetaV1.MicroTime(microsecondsSinceEpoch: micros).rfc3339))
        case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            // {string 1}; the zero Quantity is "0".
            let object = try fields(of: name, bytes)
            return SpecialValue(value: object["string"] ?? .string("0"))
        case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
            // {type 1 (0 int, 1 string), intVal 2, strVal 3}.
            let object = try fields(of: name, bytes)
            if case .int(1)? = object["type"] { return SpecialValue(value: object["strVal"] ?? .string("")) }
            return SpecialValue(value: object["intVal"] ?? .int(0))
        case "k8s.io.apimachinery.pkg.runtime.RawExtension":
            return SpecialValue(value: try rawJSON(bytes, field: 1, what: "runtime.RawExtension", allowProtobuf: true))
        case Self.meta + "FieldsV1":
            return SpecialValue(value: try rawJSON(bytes, field: 1, what: "FieldsV1", allowProtobuf: false))
        case Self.apiextensions + "JSON":
            return SpecialValue(value: try rawJSON(bytes, field: 1, what: "apiextensions JSON", allowProtobuf: false))
        case Self.apiextensions + "JSONSchemaPropsOrArray":
            // A list of schemas if any, else the one schema, else null.
            let object = try fields(of: name, bytes)
            if case .array(let items)? = object["jSONSchemas"], !items.isEmpty { return SpecialValue(value: .array(items)) }
            return SpecialValue(value: object["schema"])
        case Self.apiextensions + "JSONSchemaPropsOrBool":
            // The schema if set, else the boolean.
            let object = try fields(of: name, bytes)
            if let schema = object["schema"] { return SpecialValue(value: schema) }
            return SpecialValue(value: .bool(object["allows"] == .bool(true)))
        case Self.apiextensions + "JSONSchemaPropsOrStringArray":
            let object = try fields(of: name, bytes)
            if case .array(let items)? = object["property"], !items.isEmpty { return SpecialValue(value: .array(items)) }
            return SpecialValue(value: object["schema"])
        default:
            return nil
        }
    }

    /// The table-driven fields of a special message (zero scalars left out).
    private func fields(of name: String, _ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> [String: JSONValue] {
        guard let message = table.messages[name] else {
            throw ProtobufDecodingError("no protobuf layout is known for message \(name)")
        }
        return try object(bytes, message: message)
    }

    /// `Timestamp` {seconds 1 (int64), nanos 2 (int32)}.
    private func timestamp(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> (Int64, Int64) {
        var seconds: Int64 = 0, nanos: Int64 = 0
        var reader = ProtobufWireReader(bytes)
        while let tag = try reader.readTag() {
            guard tag.field == 1 || tag.field == 2 else {
                try reader.skip(tag.wireType)
                continue
            }
            guard tag.wireType == .varint else {
                throw ProtobufDecodingError("Time field \(tag.field): expected varint, got \(tag.wireType)")
            }
            let raw = try reader.readVarint()
            if tag.field == 1 {
                seconds = Int64(bitPattern: raw)
            } else {
                nanos = Int64(Int32(truncatingIfNeeded: raw))
            }
        }
        // Go's time.Unix accepts any nanos; keep the instant (and the year) in range.
        guard (-62_135_596_800...253_402_300_799).contains(seconds), (0..<1_000_000_000).contains(nanos) else {
            throw ProtobufDecodingError("time \(seconds)s \(nanos)ns is outside the years 0001-9999")
        }
        return (seconds, nanos)
    }

    /// A message whose length-delimited field `field` holds raw JSON (or, for a RawExtension, possibly a
    /// nested protobuf document). Empty → nil (Go writes `null`).
    private func rawJSON(_ bytes: ArraySlice<UInt8>, field: Int, what: String, allowProtobuf: Bool) throws(ProtobufDecodingError) -> JSONValue? {
        var raw = ArraySlice<UInt8>()
        var reader = ProtobufWireReader(bytes)
        while let tag = try reader.readTag() {
            guard tag.field == field else {
                try reader.skip(tag.wireType)
                continue
            }
            guard tag.wireType == .lengthDelimited else {
                throw ProtobufDecodingError("\(what) field \(field): expected length-delimited, got \(tag.wireType)")
            }
            raw = try reader.readLengthDelimited()
        }
        if raw.isEmpty { return nil }
        if allowProtobuf, raw.starts(with: KubeProtobufDecoder.magic) {
            return try KubeProtobufDecoder.decodeUnknown(raw.dropFirst(4), table: table, depth: depth + 1)
        }
        do {
            return try JSONParser.parse(raw)
        } catch {
            throw ProtobufDecodingError("\(what) does not hold valid JSON: \(error)")
        }
    }
}
