import KubeModel
import ProtobufWire

/// Turns a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`) into the JSON form of
/// the same object, so the rest of the server only ever sees JSON.
///
/// The wire format: the 4-byte magic `k8s\0`, then a `runtime.Unknown` message: field 1 `TypeMeta`
/// {apiVersion 1, kind 2}, field 2 the object's own message, field 3 contentEncoding, field 4
/// contentType. The object's layout comes from ``ProtobufMessageTable`` (upstream's generated.proto
/// files); `apiVersion` and `kind` come from the envelope.
///
/// Go serialises every non-pointer field, zero or not, and its JSON encoder then drops the zero
/// ones (`omitempty`). The decoder does the same: a scalar that is zero is left out unless the
/// schema marks the field required; messages, lists and maps are kept whenever they were sent.
/// A pointer field explicitly set to zero (`replicas: 0`) is therefore indistinguishable from an
/// unset one and is left out too: the proto files do not say which fields are pointers.
public enum KubeProtobufDecoder {
    /// `Content-Type` of a protobuf body.
    public static let mediaType = "application/vnd.kubernetes.protobuf"
    /// `k8s\0`, the prefix of every Kubernetes protobuf document.
    public static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]
    /// Messages nested deeper than this are refused (hostile input must not exhaust the stack).
    static let maxDepth = 100

    /// Decodes a protobuf document (magic + `runtime.Unknown`) into a JSON object.
    public static func decode(_ body: some Sequence<UInt8>) throws(ProtobufDecodingError) -> JSONValue {
        try decode(body, table: .shared)
    }

    static func decode(_ body: some Sequence<UInt8>, table: ProtobufMessageTable) throws(ProtobufDecodingError) -> JSONValue {
        let bytes = Array(body)
        guard bytes.starts(with: magic) else {
            throw ProtobufDecodingError("the body does not start with the Kubernetes protobuf prefix k8s\\0")
        }
        return try decodeUnknown(bytes[4...], table: table, depth: 0)
    }

    /// A `runtime.Unknown` envelope: the typed object it carries, with `apiVersion` and `kind`.
    static func decodeUnknown(_ bytes: ArraySlice<UInt8>, table: ProtobufMessageTable, depth: Int) throws(ProtobufDecodingError) -> JSONValue {
        var apiVersion = "", kind = "", contentEncoding = "", contentType = ""
        var raw = ArraySlice<UInt8>()
        var reader = ProtobufWireReader(bytes)
        while let tag = try reader.readTag() {
            guard (1...4).contains(tag.field) else {
                try reader.skip(tag.wireType)
                continue
            }
            guard tag.wireType == .lengthDelimited else {
                throw ProtobufDecodingError("runtime.Unknown field \(tag.field): expected length-delimited, got \(tag.wireType)")
            }
            let value = try reader.readLengthDelimited()
            switch tag.field {
            case 1: (apiVersion, kind) = try typeMeta(value)
            case 2: raw = value
            case 3: contentEncoding = String(decoding: value, as: UTF8.self)
            default: contentType = String(decoding: value, as: UTF8.self)
            }
        }
        guard contentEncoding.isEmpty else {
            throw ProtobufDecodingError("content encoding \"\(contentEncoding)\" is not supported")
        }
        guard contentType.isEmpty || contentType == mediaType else {
            throw ProtobufDecodingError("an embedded \(contentType) document is not supported")
        }
        guard !kind.isEmpty else { throw ProtobufDecodingError("the protobuf envelope names no kind") }
        guard let message = table.message(forAPIVersion: apiVersion, kind: kind) else {
            throw ProtobufDecodingError("no protobuf message is known for apiVersion \"\(apiVersion)\", kind \"\(kind)\"")
        }
        var object = try MessageDecoder(table: table, depth: depth + 1).object(raw, message: message)
        if !apiVersion.isEmpty { object["apiVersion"] = .string(apiVersion) }
        object["kind"] = .string(kind)
        return .object(object)
    }

    /// `runtime.TypeMeta` {apiVersion 1, kind 2}.
    private static func typeMeta(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> (String, String) {
        var apiVersion = "", kind = ""
        var reader = ProtobufWireReader(bytes)
        while let tag = try reader.readTag() {
            guard tag.field == 1 || tag.field == 2 else {
                try reader.skip(tag.wireType)
                continue
            }
            guard tag.wireType == .lengthDelimited else {
                throw ProtobufDecodingError("runtime.TypeMeta field \(tag.field): expected length-delimited, got \(tag.wireType)")
            }
            let value = String(decoding: try reader.readLengthDelimited(), as: UTF8.self)
            if tag.field == 1 { apiVersion = value } else { kind = value }
        }
        return (apiVersion, kind)
    }
}
