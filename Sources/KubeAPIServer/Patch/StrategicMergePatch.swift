import KubeModel

/// Kubernetes' strategic merge patch, as the API server applies it (upstream
/// `strategicpatch.StrategicMergeMapPatch`, with parallel lists merged and unmatched nulls
/// ignored). The patch metadata comes from the kind's OpenAPI schema, resolved field by field
/// while descending:
///
/// - maps merge recursively; `null` deletes a field; `$patch: replace` replaces the map,
///   `$patch: delete` empties it; `$retainKeys` drops the fields it does not list;
/// - lists with patch strategy `merge` and a merge key merge element-wise by that key (new
///   elements appended), `{<key>: x, $patch: delete}` removes an element, `{$patch: replace}`
///   replaces the list; lists of scalars with strategy `merge` merge as sets and
///   `$deleteFromPrimitiveList/<field>` removes values; `$setElementOrder/<field>` gives the
///   final order; all other lists are replaced;
/// - fields without a schema merge as maps and replace as lists (JSON merge patch semantics).
struct StrategicMergePatch: Sendable {
    typealias Failure = StrategicMergePatchError

    enum Directive {
        static let marker = "$patch"
        static let replace = "replace"
        static let delete = "delete"
        static let merge = "merge"
        static let retainKeys = "$retainKeys"
        static let deleteFromPrimitiveList = "$deleteFromPrimitiveList"
        static let setElementOrder = "$setElementOrder"
    }

    /// The patch metadata of one field: its schema (for a list: its items' schema), its patch
    /// strategies and merge key ("" when none).
    struct FieldMeta {
        var schema: SchemaNode?
        var strategies: [String] = []
        var mergeKey = ""
    }

    let schema: APISchema

    init(schema: APISchema = .builtIn) {
        self.schema = schema
    }

    /// Applies `patch` to `original`, an object of the kind `node` describes (nil: no schema).
    func apply(_ patch: JSONValue, to original: JSONValue, node: SchemaNode?) throws(Failure) -> JSONValue {
        let patchMap: [String: JSONValue]
        switch patch {
        case .object(let members): patchMap = members
        case .null: patchMap = [:]
        default:
            throw .notAnObject("json: cannot unmarshal \(Self.jsonTypeName(patch)) into Go value of type map[string]interface {}")
        }
        var originalMap: [String: JSONValue] = [:]
        if case .object(let members) = original { originalMap = members }
        return .object(try mergeMap(originalMap, patchMap, node))
    }

    // MARK: Maps

    func mergeMap(_ original: [String: JSONValue], _ patch: [String: JSONValue],
                  _ node: SchemaNode?) throws(Failure) -> [String: JSONValue] {
        if let directive = patch[Directive.marker] {
            switch directive {
            case .string(Directive.replace):
                var replacement = patch
                replacement[Directive.marker] = nil
                return replacement
            case .string(Directive.delete):
                return [:]
            default:
                throw .badPatchType(directive, patch)
            }
        }
        var original = original
        var patch = patch
        try Self.applyRetainKeys(&original, &patch)
        try mergeOrderedLists(&original, &patch, node)

        for key in patch.keys.sorted() {
            let patchValue = patch[key]!
            var field = key
            let isDeleteList = key.hasPrefix(Directive.deleteFromPrimitiveList)
            if isDeleteList {
                field = try Self.fieldName(key, prefix: Directive.deleteFromPrimitiveList, or: .badPrimitiveListFormat)
            }
            if patchValue == .null {
                original[field] = nil
                continue
            }
            guard let current = original[field], current.goTypeName == patchValue.goTypeName else {
                if !isDeleteList { original[field] = Self.withoutDirectives(Self.withoutNulls(patchValue)) }
                continue
            }
            switch (current, patchValue) {
            case (.object(let currentMap), .object(let patchMap)):
                let meta = mapField(field, of: node)
                if try Self.strategy(meta.strategies) == Directive.replace {
                    original[field] = patchValue
                } else {
                    original[field] = .object(try mergeMap(currentMap, patchMap, meta.schema))
                }
            case (.array(let currentList), .array(let patchList)):
                let meta = sliceField(field, of: node)
                let strategy = try Self.strategy(meta.strategies)
                original[field] = .array(try mergeSliceHandler(currentList, patchList, meta, strategy: strategy,
                                                               isDeleteList: isDeleteList).merged)
            default:
                original[field] = Self.withoutDirectives(patchValue)
            }
        }
        return original
    }

    /// `$retainKeys`: validates that every patched field is listed and clears the unlisted
    /// fields of `original`.
    static func applyRetainKeys(_ original: inout [String: JSONValue],
                                _ patch: inout [String: JSONValue]) throws(Failure) {
        guard let retain = patch.removeValue(forKey: Directive.retainKeys) else { return }
        guard case .array(let names) = retain else { throw .badRetainKeysFormat }
        let kept = Set(names)
        for (key, value) in patch where value != .null {
            if key.hasPrefix(Directive.deleteFromPrimitiveList) || key.hasPrefix(Directive.setElementOrder) { continue }
            if !kept.contains(.string(key)) { throw .badRetainKeysFormat }
        }
        original = original.filter { kept.contains(.string($0.key)) }
    }

    // MARK: Schema lookups

    /// The metadata of a map-valued (or scalar) field of an object schema.
    func mapField(_ key: String, of node: SchemaNode?) -> FieldMeta {
        guard let node else { return FieldMeta() }
        let resolved = schema.resolve(node)
        if let property = resolved.properties[key] {
            return FieldMeta(schema: property, strategies: property.patchStrategies,
                             mergeKey: property.patchMergeKey ?? "")
        }
        if let values = resolved.additionalProperties { return FieldMeta(schema: values) }
        return FieldMeta()
    }

    /// The metadata of a list-valued field; `schema` is the schema of the list's items.
    func sliceField(_ key: String, of node: SchemaNode?) -> FieldMeta {
        var meta = mapField(key, of: node)
        meta.schema = meta.schema.flatMap { schema.resolve($0).items }
        return meta
    }

    /// The strategy besides `retainKeys` (upstream `extractRetainKeysPatchStrategy`).
    static func strategy(_ strategies: [String]) throws(Failure) -> String {
        switch strategies.count {
        case 0: return ""
        case 1: return strategies[0] == "retainKeys" ? "" : strategies[0]
        case 2:
            if strategies[0] == "retainKeys" { return strategies[1] }
            if strategies[1] == "retainKeys" { return strategies[0] }
            throw .unexpectedStrategy(strategies)
        default:
            throw .unexpectedStrategy(strategies)
        }
    }

    // MARK: Helpers

    /// `$setElementOrder/containers` → `containers`.
    static func fieldName(_ key: String, prefix: String, or failure: Failure) throws(Failure) -> String {
        guard let slash = key.firstIndex(of: "/"), key[..<slash] == prefix else { throw failure }
        return String(key[key.index(after: slash)...])
    }

    /// The value without maps that carry `$patch` (a new field or element must not keep
    /// directives), nil when the value itself is such a map.
    static func withoutDirectives(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            if members[Directive.marker] != nil { return nil }
            var kept: [String: JSONValue] = [:]
            for (key, member) in members {
                if let member = withoutDirectives(member) { kept[key] = member }
            }
            return .object(kept)
        case .array(let items):
            return .array(items.compactMap(withoutDirectives))
        default:
            return value
        }
    }

    /// The value without `null` map members, at any depth (a new field carries no deletions).
    static func withoutNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(members.filter { $0.value != .null }.mapValues(withoutNulls))
        case .array(let items): return .array(items.map(withoutNulls))
        default: return value
        }
    }

    static func jsonTypeName(_ value: JSONValue) -> String {
        switch value {
        case .array: "array"
        case .string: "string"
        case .int, .double: "number"
        case .bool: "bool"
        case .object: "object"
        case .null: "null"
        }
    }
}
