import KubeModel

/// Server-side field validation (`?fieldValidation=Strict|Warn|Ignore`), as upstream's strict
/// decoding does it: fields the kind's schema does not declare and keys that appear twice in an
/// object are "strict decoding errors". `Strict` refuses the request (400), `Warn` (the default)
/// accepts it and returns one warning per problem, `Ignore` says nothing; unknown fields are
/// dropped by the typed decode in every mode, and of duplicates the last one wins.
///
/// What is checked follows the typed decode upstream does: objects with declared fields (any
/// other key is `unknown field "spec.foo"`), list items, map values; `RawExtension`, `FieldsV1`,
/// `JSON`, `x-kubernetes-preserve-unknown-fields` and other untyped values accept anything and
/// are not looked into. A key that is both unknown and duplicated is reported once, as unknown.
public enum FieldValidation {
    /// The `fieldValidation` query parameter.
    public enum Directive: String, Sendable, CaseIterable {
        case ignore = "Ignore"
        case warn = "Warn"
        case strict = "Strict"
    }

    /// The values upstream accepts, as its error message lists them.
    static let supportedValues = ["", "Ignore", "Strict", "Warn"]

    /// The request's directive; absent or empty means `Warn`. Any other value is upstream's 422
    /// on the options kind (`CreateOptions`, `UpdateOptions`, `PatchOptions`).
    public static func directive(_ request: APIRequest, optionsKind: String) throws(APIError) -> Directive {
        let value = request.parameter("fieldValidation") ?? ""
        if value.isEmpty { return .warn }
        guard let directive = Directive(rawValue: value) else {
            throw .invalid(kind: optionsKind, group: "meta.k8s.io", name: "", causes: [
                .notSupported("fieldValidation", value: value, supported: supportedValues)])
        }
        return directive
    }

    /// The problems of `json` against the schema of `kind`, as upstream words them
    /// (`unknown field "spec.foo"`, `duplicate field "metadata.name"`). `order` (from
    /// ``JSONFieldOrder``) puts them in document order; without it they come sorted by path.
    public static func problems(in json: JSONValue, duplicates: [JSONParser.DuplicateKey], kind: GroupVersionKind,
                                order: JSONFieldOrder? = nil, schema: APISchema = .builtIn) -> [String] {
        guard let root = schema.schema(for: kind) else { return [] }
        var walker = Walker(schema: schema)
        walker.visit(json, root, path: "")
        var found: [(position: Int, path: String, text: String)] = []
        for path in walker.unknown {
            found.append((order?.position(of: path) ?? Int.max, path, "unknown field \"\(path)\""))
        }
        var occurrence: [String: Int] = [:]
        for duplicate in duplicates {
            let path = duplicate.fieldPath
            occurrence[path, default: 0] += 1
            guard walker.checkedObjects.contains(duplicate.path), !walker.unknownSet.contains(path) else { continue }
            let position = order?.position(of: path, occurrence: occurrence[path]!) ?? Int.max
            found.append((position, path, "duplicate field \"\(path)\""))
        }
        found.sort { lhs, rhs in
            if lhs.position != rhs.position { return lhs.position < rhs.position }
            return JSONFieldOrder.pathPrecedes(lhs.path, rhs.path)
        }
        return found.map(\.text)
    }

    /// Applies `directive` to a parsed body: `Strict` throws upstream's 400 when there is a
    /// problem (`Pod in version "v1" cannot be handled as a Pod: strict decoding error: …`),
    /// `Warn` returns the problems as warnings, `Ignore` returns none. For PATCH results, pass the
    /// patched object and the duplicates of the patch (with their paths). `order` is only
    /// computed when there is a problem to put in document order.
    public static func check(json: JSONValue, duplicates: [JSONParser.DuplicateKey], kind: GroupVersionKind,
                             mode: Directive, order: (() -> JSONFieldOrder)? = nil,
                             schema: APISchema = .builtIn) throws(APIError) -> [String] {
        if mode == .ignore { return [] }
        var found = problems(in: json, duplicates: duplicates, kind: kind, schema: schema)
        guard !found.isEmpty else { return [] }
        if let order { found = problems(in: json, duplicates: duplicates, kind: kind, order: order(), schema: schema) }
        if mode == .strict { throw .badRequest(strictDecodingMessage(found, kind: kind)) }
        return found
    }

    /// Upstream's message for a decode that failed strict decoding.
    public static func strictDecodingMessage(_ problems: [String], kind: GroupVersionKind) -> String {
        "\(kind.kind) in version \"\(kind.version)\" cannot be handled as a \(kind.kind): "
            + "strict decoding error: " + problems.joined(separator: ", ")
    }

    /// Definitions whose content is opaque to the typed decode (custom unmarshalling, raw bytes).
    static let opaqueDefinitions: Set<String> = [
        "io.k8s.apimachinery.pkg.runtime.RawExtension",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
    ]

    /// Walks a value along its schema, collecting unknown fields and the objects whose keys the
    /// typed decode checks (structs and typed maps), where duplicates count.
    struct Walker {
        let schema: APISchema
        var unknown: [String] = []
        var unknownSet: Set<String> = []
        var checkedObjects: Set<String> = []

        init(schema: APISchema) { self.schema = schema }

        mutating func visit(_ value: JSONValue, _ node: SchemaNode, path: String) {
            var node = node
            var named = false
            var hops = 0
            while let ref = node.ref {
                guard !FieldValidation.opaqueDefinitions.contains(ref), let target = schema.definitions[ref], hops < 32 else { return }
                node = target
                named = true
                hops += 1
            }
            if node.preservesUnknownFields { return }
            switch value {
            case .object(let members):
                if !node.properties.isEmpty && node.additionalProperties == nil {
                    checkedObjects.insert(path)
                    for (key, member) in members {
                        let memberPath = Self.join(path, key)
                        if let property = node.properties[key] {
                            visit(member, property, path: memberPath)
                        } else if unknownSet.insert(memberPath).inserted {
                            unknown.append(memberPath)
                        }
                    }
                } else if let values = node.additionalProperties {
                    checkedObjects.insert(path)
                    for (key, member) in members { visit(member, values, path: Self.join(path, key)) }
                } else if named && node.properties.isEmpty && node.type == "object" {
                    // A named struct without fields: every key is unknown to it.
                    checkedObjects.insert(path)
                    for key in members.keys {
                        let memberPath = Self.join(path, key)
                        if unknownSet.insert(memberPath).inserted { unknown.append(memberPath) }
                    }
                }
            case .array(let items):
                guard let itemNode = node.items else { return }
                for (index, item) in items.enumerated() { visit(item, itemNode, path: "\(path)[\(index)]") }
            default:
                return
            }
        }

        static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }
}
