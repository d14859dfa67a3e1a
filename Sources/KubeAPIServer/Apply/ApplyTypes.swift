import KubeModel

/// The type of a value as the structured merge sees it (upstream's `schema.TypeRef`): a schema
/// node, a value without a schema whose shape is deduced from the value itself (untyped objects
/// such as `RawExtension`, kinds the schema does not know), or a field the schema does not
/// declare, which is owned and replaced as a whole.
enum ApplyType: Sendable {
    case node(SchemaNode)
    case untyped
    case unknown
}

/// What a type does to a value, resolved against the schema (upstream's `schema.Atom` as the
/// Kubernetes OpenAPI converter builds it).
enum ApplyShape: Sendable {
    /// Where a schema node keeps its shape once worked out.
    static let memoKey = SchemaNodeMemo.Key<ApplyShape>()

    /// A scalar, or an atomic map or list: owned, compared and replaced as one leaf.
    case leaf
    /// An object: declared fields and/or map entries, merged field by field.
    case object(ObjectShape)
    /// A list merged element by element: `set` (by value) or `map` (by key fields).
    case list(ListShape)
}

struct ObjectShape: Sendable {
    /// Declared fields (a struct); empty for a map.
    let fields: [String: SchemaNode]
    /// The type of entries not declared as fields.
    let entries: ApplyType
    /// Declared fields the schema requires.
    var required: Set<String> = []

    func type(of name: String) -> ApplyType {
        if let field = fields[name] { return .node(field) }
        return entries
    }

    func declares(_ name: String) -> Bool { fields[name] != nil }
}

struct ListShape: Sendable {
    let element: ApplyType
    /// Key fields for an associative list of objects; empty for a set of scalars.
    let keys: [String]
    /// The element's definition name, for key defaults.
    let elementRef: String?
}

/// Resolves ``ApplyType``s to ``ApplyShape``s against an ``APISchema``, following the rules of
/// the Kubernetes OpenAPI → structured-merge-diff converter:
///
/// - `x-kubernetes-list-type` `atomic` / `set` / `map` (with `x-kubernetes-list-map-keys`); a list
///   without it is keyed by `x-kubernetes-patch-merge-key` when its patch strategy is `merge`, a
///   set when the strategy is `merge` without a key, else atomic;
/// - `x-kubernetes-map-type: atomic` makes an object or map one leaf; other objects are granular;
/// - objects without properties or additional properties, and schema-less values, are untyped:
///   objects merge entry by entry, lists are atomic.
struct ApplySchema: Sendable {
    let schema: APISchema

    init(_ schema: APISchema) {
        self.schema = schema
    }

    /// The type of a kind's objects (untyped when the schema does not know the kind).
    func rootType(_ gvk: GroupVersionKind) -> ApplyType {
        schema.schema(for: gvk).map(ApplyType.node) ?? .untyped
    }

    /// The shape of `type` for `value` (untyped values take the shape of their value).
    func shape(_ type: ApplyType, for value: JSONValue?) -> ApplyShape {
        switch type {
        case .unknown:
            return .leaf
        case .untyped:
            if case .object? = value { return .object(ObjectShape(fields: [:], entries: .untyped)) }
            return .leaf
        case .node(let node):
            return shape(of: node)
        }
    }

    /// The shape of a schema node, whatever the value; worked out once per node.
    func shape(of node: SchemaNode) -> ApplyShape {
        node.memo.value(ApplyShape.memoKey) { resolveShape(of: node) }
    }

    private func resolveShape(of node: SchemaNode) -> ApplyShape {
        let resolved = schema.resolve(node)
        let mapType = node.mapType ?? resolved.mapType
        if resolved.type == "array" || resolved.items != nil || node.items != nil {
            let items = node.items ?? resolved.items
            let element: ApplyType = items.map(ApplyType.node) ?? .untyped
            let listType = node.listType ?? resolved.listType
            let strategies = node.patchStrategies.isEmpty ? resolved.patchStrategies : node.patchStrategies
            let mergeKey = node.patchMergeKey ?? resolved.patchMergeKey
            let keys: [String]
            switch listType {
            case "atomic": return .leaf
            case "set": keys = []
            case "map": keys = node.listMapKeys.isEmpty ? resolved.listMapKeys : node.listMapKeys
            default:
                guard strategies.contains("merge") else { return .leaf }
                keys = mergeKey.map { [$0] } ?? []
            }
            return .list(ListShape(element: element, keys: keys, elementRef: items?.ref))
        }
        if !resolved.properties.isEmpty {
            if mapType == "atomic" { return .leaf }
            let entries: ApplyType
            if let additional = resolved.additionalProperties {
                entries = .node(additional)
            } else if resolved.preservesUnknownFields || node.preservesUnknownFields {
                entries = .untyped
            } else {
                entries = .unknown
            }
            return .object(ObjectShape(fields: resolved.properties, entries: entries, required: Set(resolved.required)))
        }
        if let additional = resolved.additionalProperties {
            if mapType == "atomic" { return .leaf }
            return .object(ObjectShape(fields: [:], entries: .node(additional)))
        }
        if resolved.type == "object" || resolved.type == nil, !resolved.isIntOrString {
            if mapType == "atomic" { return .leaf }
            return .object(ObjectShape(fields: [:], entries: .untyped))
        }
        return .leaf
    }

    /// Whether `type` resolves to an object that declares `name` as a field.
    func declares(_ type: ApplyType, field name: String) -> Bool {
        guard case .node(let node) = type, case .object(let object) = shape(of: node) else { return false }
        return object.declares(name)
    }

    // MARK: List elements

    /// Upstream's `listItemToPathElement` for an element of a granular list.
    func pathElement(of item: JSONValue, in list: ListShape, at index: Int) -> Result<PathElement, ApplyPathError> {
        if list.keys.isEmpty {
            switch item {
            case .object: return .failure(ApplyPathError("element \(index): associative list without keys has an element that's a map type"))
            case .array: return .failure(ApplyPathError("element \(index): not supported: associative list with lists as elements"))
            case .null: return .failure(ApplyPathError("element \(index): associative list without keys has an element that's an explicit null"))
            default: return .success(.setValue(item))
            }
        }
        guard case .object(let members) = item else {
            if item == .null {
                return .failure(ApplyPathError("element \(index): associative list with keys may not have a null element"))
            }
            return .failure(ApplyPathError("element \(index): associative list with keys may not have non-map elements"))
        }
        var key: [String: JSONValue] = [:]
        for name in list.keys {
            if let value = members[name] {
                key[name] = value
            } else if let value = keyDefault(name, of: list.elementRef) {
                key[name] = value
            } else {
                return .failure(ApplyPathError(
                    "element \(index): associative list with keys has an element that omits key field \(JSONValue.goQuoted(name)) (and doesn't have default value)"))
            }
        }
        return .success(.keyed(key))
    }

    /// The schema default of a list-map key field. The v2 document carries no defaults, so the
    /// ones the Kubernetes v3 schema declares for key fields are known here: `protocol` defaults
    /// to `TCP`, a `LocalObjectReference`'s `name` to `""`.
    func keyDefault(_ field: String, of elementRef: String?) -> JSONValue? {
        if let elementRef, let value = schema.document["definitions"]?[elementRef]?["properties"]?[field]?["default"] {
            return value
        }
        if field == "protocol" { return .string("TCP") }
        if field == "name", elementRef?.hasSuffix(".LocalObjectReference") == true { return .string("") }
        return nil
    }
}

/// Why a value does not fit its type: a list element without a path element, duplicate keys.
struct ApplyPathError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }

    /// The message prefixed with the path of the offending value, as upstream words it.
    func at(_ path: FieldPath) -> ApplyPathError {
        path.isEmpty ? self : ApplyPathError("\(path): \(message)")
    }
}
