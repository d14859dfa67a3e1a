import Foundation
import KubeModel
import KubeStore

/// Keys, (de)serialisation and the JSON view of objects.
extension ResourceRegistry {
    /// `/registry/apps/deployments/` — every key of the resource starts with it.
    static func resourcePrefix(_ resource: KubeResource) -> String {
        "/registry/\(resource.group.isEmpty ? "core" : resource.group)/\(resource.resource)/"
    }

    /// The key prefix of a list: one namespace, or the whole resource for "" / cluster scope.
    static func listPrefix(_ resource: KubeResource, namespace: String) -> String {
        let prefix = resourcePrefix(resource)
        return resource.namespaced && !namespace.isEmpty ? prefix + namespace + "/" : prefix
    }

    static func key(_ resource: KubeResource, namespace: String, name: String) -> String {
        let prefix = resourcePrefix(resource)
        return resource.namespaced ? "\(prefix)\(namespace)/\(name)" : prefix + name
    }

    /// The request's namespace for the resource ("" for cluster-scoped resources, whose
    /// `/namespaces/{name}` paths set `info.namespace` to the namespace's own name).
    static func namespace(of request: APIRequest, _ resource: KubeResource) -> String {
        resource.namespaced ? request.info.namespace : ""
    }

    static func groupResource(_ resource: KubeResource) -> APIError.GroupResource {
        APIError.GroupResource(group: resource.group, resource: resource.resource)
    }

    // MARK: Decoding

    /// Decodes a request body as the resource's kind; malformed input is a 400, never a crash.
    static func decodeBody(_ data: Data, as resource: KubeResource) throws -> any KubeObject {
        guard !data.isEmpty else { throw APIError.badRequest("the request body is empty") }
        do {
            return try decodeTyped(resource.type, data)
        } catch let error as DecodingError {
            throw APIError.badRequest("error decoding \(resource.kind): \(describe(error))")
        } catch {
            throw APIError.badRequest("error decoding \(resource.kind): \(error.localizedDescription)")
        }
    }

    /// Decodes a create/update body with server-side field validation (`fieldValidation`). The
    /// kind's reader decodes it and notes whether any key was unknown or repeated; only then is
    /// the body parsed again with `JSONParser` (duplicate keys reported, the last one wins) and
    /// checked against the kind's schema for the exact problems. Returns the object and the
    /// warnings to send (`Warn`); `Strict` problems throw. `optionsKind` names the options type in
    /// the error for a bad `fieldValidation` value (`CreateOptions`, `UpdateOptions`).
    static func decodeValidatedBody(_ request: APIRequest, as resource: KubeResource,
                                    optionsKind: String) throws -> (object: any KubeObject, warnings: [String]) {
        let directive = try FieldValidation.directive(request, optionsKind: optionsKind)
        let data = request.body
        guard !data.isEmpty else { throw APIError.badRequest("the request body is empty") }
        // One pass in the common case: the kind's reader notes unknown and repeated keys as it
        // reads, and a body without any has nothing for field validation to report.
        let read = readTypedCheckingFields(Array(data), as: resource)
        if let read, directive == .ignore || !read.needsFieldCheck { return (read.object, []) }
        let parsed: (JSONValue, [JSONParser.DuplicateKey])
        do {
            parsed = try JSONParser.parseReportingDuplicates(data)
        } catch {
            throw APIError.badRequest("error decoding \(resource.kind): \(error.description)")
        }
        let (json, duplicates) = parsed
        // Read by the kind's own reader (the last value of a duplicate key wins, as upstream and
        // as the parser keeps it), else decoded from the parsed tree. A body that does not fit is
        // decoded again from its text, for JSONDecoder's description of the problem.
        let object = try read?.object ?? (try? decodeTree(json, as: resource))
            ?? decodeBody(duplicates.isEmpty ? data : json.jsonData(), as: resource)
        guard directive != .ignore else { return (object, []) }
        let kind = GroupVersionKind(group: resource.group, version: resource.version, kind: resource.kind)
        let warnings = try FieldValidation.check(
            json: json, duplicates: duplicates, kind: kind, mode: directive, order: { JSONFieldOrder(data) })
        return (object, warnings)
    }

    private static func decodeTyped<T: KubeObject>(_ type: T.Type, _ data: Data) throws -> any KubeObject {
        try JSONDecoder().decode(T.self, from: data)
    }

    /// Stored bytes through the types' own JSON readers (Codable's errors if that fails).
    private static func decodeStoredBytes<T: KubeObject>(_ type: T.Type, _ bytes: [UInt8]) throws -> any KubeObject {
        try T.decode(bytes)
    }

    /// The resource's kind decoded from a JSON tree (`DecodingError` when it does not fit).
    static func decodeTree(_ json: JSONValue, as resource: KubeResource) throws -> any KubeObject {
        func open<T: KubeObject>(_ type: T.Type) throws -> any KubeObject {
            try JSONValueDecoder().decode(T.self, from: json)
        }
        return try open(resource.type)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let rendered = context.codingPath.map { key in
                key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
            }.joined()
            return rendered.hasPrefix(".") ? String(rendered.dropFirst()) : rendered
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): missing \(type) value: \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let at = path(context)
            return "\(at.isEmpty ? "" : at + ".")\(key.stringValue): Required value"
        case .dataCorrupted(let context):
            let at = path(context)
            let detail = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return at.isEmpty ? "invalid JSON: \(detail)" : "\(at): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }

    /// Decodes a stored value: the object with `resourceVersion` = the key's modRevision and the
    /// resource's apiVersion/kind.
    func decodeStored(_ kv: KeyValue, as resource: KubeResource) throws -> any KubeObject {
        try Self.decodeStored(kv.value, revision: kv.modRevision, as: resource)
    }

    static func decodeStored(_ value: [UInt8], revision: Revision, as resource: KubeResource) throws -> any KubeObject {
        var object: any KubeObject
        do {
            if StorageVersions.conversion(for: resource) != nil {
                // Stored in the storage version: read through a conversion to the one asked for.
                object = try decodeTree(StorageVersions.fromStorage(JSONParser.parse(value), resource), as: resource)
            } else {
                object = try decodeStoredBytes(resource.type, value)
            }
        } catch {
            throw APIError.internalError("stored \(resource.groupResource) object is unreadable: \(error)")
        }
        object.metadata.resourceVersion = String(revision)
        object.apiVersion = resource.apiVersion
        object.kind = resource.kind
        return object
    }

    /// The bytes stored for an object: its JSON without `metadata.resourceVersion`.
    static func encodeForStorage(_ object: any KubeObject) throws -> [UInt8] {
        var copy = object
        copy.metadata.resourceVersion = nil
        copy.metadata.selfLink = nil
        // Kinds stored in their own version are written directly, without a tree.
        guard StorageVersions.conversion(apiVersion: copy.apiVersion, kind: copy.kind) != nil else {
            return try checkedSize(copy.jsonBytes())
        }
        return try checkedSize(StorageVersions.toStorage(json(copy)).serialized())
    }

    /// etcd's default request limit (`--max-request-bytes`, 1.5 MiB), which bounds every object.
    static let maxObjectSize = 1_572_864

    /// A stored value over the limit is refused as etcd refuses it: 413, nothing written.
    static func checkedSize(_ bytes: [UInt8]) throws -> [UInt8] {
        guard bytes.count <= maxObjectSize else { throw APIError.requestEntityTooLarge("etcdserver: request is too large") }
        return bytes
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    // MARK: JSON view

    /// The object as a JSON tree (for spec/status comparison, merge patch and field selectors).
    static func json(_ object: any KubeObject) throws -> JSONValue {
        try object.jsonValue()
    }

    /// JSON text read by the kind's own reader (``JSONReadable``); nil if it does not fit, for
    /// the caller's Codable path to decode it and describe the problem.
    static func readTyped(_ bytes: [UInt8], as resource: KubeResource) -> (any KubeObject)? {
        func open<T: KubeObject>(_ type: T.Type) -> (any KubeObject)? {
            var reader = JSONReader(bytes)
            do throws(JSONParser.SyntaxError) {
                let object = try T(json: &reader)
                try reader.finish()
                return object
            } catch {
                return nil
            }
        }
        return open(resource.type)
    }

    /// ``readTyped(_:as:)`` that also tells whether server-side field validation must look at
    /// the text (``JSONReader/needsFieldCheck``).
    static func readTypedCheckingFields(_ bytes: [UInt8], as resource: KubeResource) -> (object: any KubeObject, needsFieldCheck: Bool)? {
        func open<T: KubeObject>(_ type: T.Type) -> (object: any KubeObject, needsFieldCheck: Bool)? {
            var reader = JSONReader(bytes)
            reader.checksFields = true
            do throws(JSONParser.SyntaxError) {
                let object = try T(json: &reader)
                try reader.finish()
                return (object, reader.needsFieldCheck)
            } catch {
                return nil
            }
        }
        return open(resource.type)
    }

    /// The JSON tree decoded as the resource's kind (400 when it does not fit the schema).
    static func object(from json: JSONValue, as resource: KubeResource) throws -> any KubeObject {
        // Written out and read back by the kind's own reader: cheaper than Codable over the tree.
        if let object = readTyped(json.serialized(sortedKeys: false), as: resource) { return object }
        if let object = try? decodeTree(json, as: resource) { return object }
        return try decodeBody(json.jsonData(), as: resource)
    }
}

extension JSONValue {
    /// The value at a dotted path (`spec.nodeName`), nil when absent.
    func value(at path: String) -> JSONValue? {
        // Walked segment by segment in place (no array of parts): field selectors read several
        // paths of every object a watch or list tests.
        var current = self
        var rest = path[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: ".") ?? rest.endIndex
            if end != rest.startIndex {
                guard let next = current[String(rest[..<end])] else { return nil }
                current = next
            }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return current
    }

    /// A scalar rendered as a field-selector value (`true`, `3`, `Running`).
    var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        default: return nil
        }
    }

    /// Sets `object[key]` (no-op for non-objects).
    mutating func set(_ key: String, _ value: JSONValue?) {
        guard case .object(var o) = self else { return }
        self = .null
        o[key] = value
        self = .object(o)
    }

    /// Sets `metadata[key]` of an object (no-op without a `metadata` object).
    mutating func setMetadata(_ key: String, _ value: JSONValue?) {
        guard case .object(var o) = self, case .object(var metadata)? = o["metadata"] else { return }
        if value == nil && metadata[key] == nil { return }
        self = .null
        o["metadata"] = nil
        metadata[key] = value
        o["metadata"] = .object(metadata)
        self = .object(o)
    }
}
