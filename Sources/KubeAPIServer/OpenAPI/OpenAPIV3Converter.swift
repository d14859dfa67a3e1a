import KubeModel

/// Derives the OpenAPI 3.0 document of one `/openapi/v3` entry (`api/v1`, `apis/apps/v1`, `api`,
/// `apis`, `apis/apps`, `version`) from the embedded OpenAPI v2 document, the way upstream's v3
/// documents look: the entry's paths with v3 operations (parameters inline with a `schema`,
/// the body parameter as `requestBody` with one content entry per consumed media type,
/// responses with `description` and `content` per produced media type, the
/// `x-kubernetes-action`/`x-kubernetes-group-version-kind` extensions kept), and
/// `components.schemas` holding every definition the paths reach, transitively, with `$ref`s
/// pointing at `#/components/schemas/…` (wrapped in `allOf` when the reference has siblings).
struct OpenAPIV3Converter {
    let document: JSONValue
    private let parameters: [String: JSONValue]
    private let definitions: [String: JSONValue]

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch"]
    private static let definitionPrefix = "#/definitions/"
    private static let parameterPrefix = "#/parameters/"
    static let componentPrefix = "#/components/schemas/"

    init(document: JSONValue) {
        self.document = document
        if case .object(let parameters)? = document["parameters"] { self.parameters = parameters } else { parameters = [:] }
        if case .object(let definitions)? = document["definitions"] { self.definitions = definitions } else { definitions = [:] }
    }

    /// The `/openapi/v3` entry a v2 path belongs to: `/api/v1/pods` → `api/v1`, `/apis/apps/` →
    /// `apis/apps`, `/apis/apps/v1/…` → `apis/apps/v1`, `/version/` → `version`, `/logs/{logpath}`
    /// → `logs`.
    static func key(forPath path: String) -> String {
        let segments = path.split(separator: "/").map(String.init)
        switch segments.first {
        case "api": return segments.prefix(2).joined(separator: "/")
        case "apis": return segments.prefix(3).joined(separator: "/")
        default: return segments.prefix { !$0.hasPrefix("{") }.joined(separator: "/")
        }
    }

    /// Every entry the v2 document has paths for.
    func keys() -> Set<String> {
        guard case .object(let paths)? = document["paths"] else { return [] }
        return Set(paths.keys.map(Self.key(forPath:)))
    }

    /// The v3 document of one entry, nil when the v2 document has no path for it.
    func convert(key: String) -> JSONValue? {
        guard case .object(let paths)? = document["paths"] else { return nil }
        var references: [String] = []
        var v3Paths: [String: JSONValue] = [:]
        for (path, item) in paths where Self.key(forPath: path) == key {
            v3Paths[path] = pathItem(item, references: &references)
        }
        guard !v3Paths.isEmpty else { return nil }
        var components: [String: JSONValue] = ["schemas": .object(closure(of: references))]
        if let security = document["securityDefinitions"] { components["securitySchemes"] = security }
        var out: [String: JSONValue] = [
            "openapi": .string("3.0.0"),
            "info": document["info"] ?? .object(["title": .string("Kubernetes"), "version": .string("unversioned")]),
            "paths": .object(v3Paths),
            "components": .object(components),
        ]
        if let security = document["security"] { out["security"] = security }
        return .object(out)
    }

    // MARK: Paths and operations

    func pathItem(_ item: JSONValue, references: inout [String]) -> JSONValue {
        guard case .object(let members) = item else { return item }
        var out: [String: JSONValue] = [:]
        for (name, value) in members {
            if name == "parameters" {
                out[name] = .array(Self.array(value).map { parameter(resolve($0), references: &references) })
            } else if Self.methods.contains(name) {
                out[name] = operation(value, references: &references)
            } else {
                out[name] = value
            }
        }
        return .object(out)
    }

    func operation(_ operation: JSONValue, references: inout [String]) -> JSONValue {
        guard case .object(let members) = operation else { return operation }
        let consumes = Self.strings(members["consumes"]) ?? Self.strings(document["consumes"]) ?? ["application/json"]
        let produces = Self.strings(members["produces"]) ?? Self.strings(document["produces"]) ?? ["application/json"]
        var out: [String: JSONValue] = [:]
        for (name, value) in members {
            switch name {
            case "consumes", "produces", "schemes":
                continue
            case "parameters":
                var converted: [JSONValue] = []
                for entry in Self.array(value) {
                    let resolved = resolve(entry)
                    switch resolved["in"]?.stringValue {
                    case "body":
                        var body: [String: JSONValue] = [
                            "content": content(consumes, schema: resolved["schema"], references: &references)]
                        if let required = resolved["required"] { body["required"] = required }
                        if let description = resolved["description"] { body["description"] = description }
                        out["requestBody"] = .object(body)
                    case "formData":
                        continue
                    default:
                        converted.append(parameter(resolved, references: &references))
                    }
                }
                if !converted.isEmpty { out["parameters"] = .array(converted) }
            case "responses":
                guard case .object(let responses) = value else { continue }
                var convertedResponses: [String: JSONValue] = [:]
                for (code, response) in responses {
                    var entry: [String: JSONValue] = [
                        "description": response["description"] ?? .string(Self.reasonPhrase(code))]
                    if let schema = response["schema"] {
                        entry["content"] = content(produces, schema: schema, references: &references)
                    }
                    convertedResponses[code] = .object(entry)
                }
                out["responses"] = .object(convertedResponses)
            default:
                out[name] = value
            }
        }
        return .object(out)
    }

    /// A v2 non-body parameter as v3: name/in/description/required stay, the type keywords move
    /// into `schema`.
    func parameter(_ parameter: JSONValue, references: inout [String]) -> JSONValue {
        guard case .object(let members) = parameter else { return parameter }
        var out: [String: JSONValue] = [:]
        var schema: [String: JSONValue] = [:]
        for (name, value) in members {
            switch name {
            case "name", "in", "description", "required", "allowEmptyValue", "deprecated":
                out[name] = value
            case "collectionFormat":
                if value == .string("multi") {
                    out["style"] = .string("form")
                    out["explode"] = .bool(true)
                }
            default:
                if name.hasPrefix("x-") { out[name] = value } else { schema[name] = value }
            }
        }
        if !schema.isEmpty { out["schema"] = self.schema(.object(schema), references: &references) }
        return .object(out)
    }

    /// `{"<media type>": {"schema": …}}` for each media type.
    func content(_ mediaTypes: [String], schema: JSONValue?, references: inout [String]) -> JSONValue {
        var entry: [String: JSONValue] = [:]
        if let schema { entry["schema"] = self.schema(schema, references: &references) }
        var out: [String: JSONValue] = [:]
        for mediaType in mediaTypes { out[mediaType] = .object(entry) }
        return .object(out)
    }

    /// A shared `#/parameters/…` reference replaced by the parameter itself.
    func resolve(_ parameter: JSONValue) -> JSONValue {
        guard let ref = parameter["$ref"]?.stringValue, ref.hasPrefix(Self.parameterPrefix) else { return parameter }
        return parameters[String(ref.dropFirst(Self.parameterPrefix.count))] ?? parameter
    }

    // MARK: Schemas

    /// A v2 schema as v3, collecting the definitions it references.
    func schema(_ value: JSONValue, references: inout [String]) -> JSONValue {
        guard case .object(var members) = value else { return value }
        var reference: JSONValue?
        if let ref = members["$ref"]?.stringValue, ref.hasPrefix(Self.definitionPrefix) {
            let name = String(ref.dropFirst(Self.definitionPrefix.count))
            references.append(name)
            reference = .object(["$ref": .string(Self.componentPrefix + name)])
            members["$ref"] = nil
            if members.isEmpty { return reference! }
        }
        for (name, child) in members {
            switch name {
            case "properties", "patternProperties", "definitions":
                if case .object(let map) = child {
                    members[name] = .object(map.mapValues { schema($0, references: &references) })
                }
            case "items", "additionalProperties", "not":
                if case .array(let list) = child {
                    members[name] = .array(list.map { schema($0, references: &references) })
                } else {
                    members[name] = schema(child, references: &references)
                }
            case "allOf", "anyOf", "oneOf":
                members[name] = .array(Self.array(child).map { schema($0, references: &references) })
            default:
                continue
            }
        }
        if let reference {
            // OpenAPI 3.0 ignores the siblings of a `$ref`; upstream wraps the reference instead.
            members["allOf"] = .array([reference] + Self.array(members["allOf"] ?? .array([])))
        }
        return .object(members)
    }

    /// The converted definitions `roots` reach, transitively.
    func closure(of roots: [String]) -> [String: JSONValue] {
        var schemas: [String: JSONValue] = [:]
        var queue = roots
        while let name = queue.popLast() {
            guard schemas[name] == nil, let definition = definitions[name] else { continue }
            var found: [String] = []
            schemas[name] = schema(definition, references: &found)
            queue.append(contentsOf: found.filter { schemas[$0] == nil })
        }
        return schemas
    }

    // MARK: Helpers

    static func array(_ value: JSONValue) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    static func strings(_ value: JSONValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        return items.compactMap(\.stringValue)
    }

    static func reasonPhrase(_ code: String) -> String {
        switch code {
        case "200": return "OK"
        case "201": return "Created"
        case "202": return "Accepted"
        case "401": return "Unauthorized"
        case "default": return "Default Response."
        default: return ""
        }
    }
}
