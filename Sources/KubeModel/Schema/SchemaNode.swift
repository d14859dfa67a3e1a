import Foundation

/// One schema of the Kubernetes OpenAPI document, reduced to what the API machinery acts on:
/// the shape of a value (object properties, list items, map values, a `$ref`) and the
/// `x-kubernetes-*` extensions that drive strategic merge patch, server-side apply and field
/// validation. Immutable, so it can be shared freely.
public final class SchemaNode: Sendable {
    /// The definition name a `$ref` points at (`io.k8s.api.core.v1.PodSpec`), nil when inline.
    public let ref: String?
    /// `object`, `array`, `string`, `integer`, `number`, `boolean`; nil for "any" and for refs.
    public let type: String?
    public let format: String?
    public let properties: [String: SchemaNode]
    public let items: SchemaNode?
    /// The schema of a map's values (`additionalProperties`).
    public let additionalProperties: SchemaNode?
    public let required: [String]
    /// `x-kubernetes-patch-strategy`, split at commas: `merge`, `retainKeys`, `replace`.
    public let patchStrategies: [String]
    /// `x-kubernetes-patch-merge-key`.
    public let patchMergeKey: String?
    /// `x-kubernetes-list-type`: `atomic`, `set`, `map`.
    public let listType: String?
    /// `x-kubernetes-list-map-keys`.
    public let listMapKeys: [String]
    /// `x-kubernetes-map-type`: `atomic`, `granular`.
    public let mapType: String?
    /// `x-kubernetes-int-or-string` (v3) or format `int-or-string` (v2).
    public let isIntOrString: Bool
    /// `x-kubernetes-preserve-unknown-fields`.
    public let preservesUnknownFields: Bool
    /// `x-kubernetes-group-version-kind` of a top-level kind.
    public let groupVersionKinds: [GroupVersionKind]
    /// What other modules derive from this node, computed once.
    public let memo = SchemaNodeMemo()

    init(json: JSONValue) {
        let object: [String: JSONValue]
        if case .object(let o) = json { object = o } else { object = [:] }
        func string(_ key: String) -> String? { object[key]?.stringValue }
        func strings(_ key: String) -> [String] {
            guard case .array(let items)? = object[key] else { return [] }
            return items.compactMap(\.stringValue)
        }
        if let ref = string("$ref") {
            self.ref = ref.hasPrefix("#/definitions/") ? String(ref.dropFirst("#/definitions/".count)) : ref
        } else {
            self.ref = nil
        }
        type = string("type")
        format = string("format")
        if case .object(let props)? = object["properties"] {
            properties = props.mapValues { SchemaNode(json: $0) }
        } else {
            properties = [:]
        }
        items = object["items"].map { SchemaNode(json: $0) }
        if let additional = object["additionalProperties"], case .object = additional {
            additionalProperties = SchemaNode(json: additional)
        } else {
            additionalProperties = nil
        }
        required = strings("required")
        patchStrategies = (string("x-kubernetes-patch-strategy") ?? "")
            .split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        patchMergeKey = string("x-kubernetes-patch-merge-key")
        listType = string("x-kubernetes-list-type")
        listMapKeys = strings("x-kubernetes-list-map-keys")
        mapType = string("x-kubernetes-map-type")
        isIntOrString = object["x-kubernetes-int-or-string"] == .bool(true) || format == "int-or-string"
        preservesUnknownFields = object["x-kubernetes-preserve-unknown-fields"] == .bool(true)
        var gvks: [GroupVersionKind] = []
        if case .array(let entries)? = object["x-kubernetes-group-version-kind"] {
            for entry in entries {
                guard let version = entry["version"]?.stringValue, let kind = entry["kind"]?.stringValue else { continue }
                gvks.append(GroupVersionKind(group: entry["group"]?.stringValue ?? "", version: version, kind: kind))
            }
        }
        groupVersionKinds = gvks
    }

    /// Whether the patch strategy includes `merge` (lists merged by key, maps merged).
    public var mergesLists: Bool { patchStrategies.contains("merge") }
    /// Whether the patch strategy includes `retainKeys`.
    public var retainsKeys: Bool { patchStrategies.contains("retainKeys") }
    /// Whether the patch strategy is `replace`.
    public var replaces: Bool { patchStrategies.contains("replace") }

    /// An object schema that names its fields: anything else in an object is an unknown field.
    public var declaresFields: Bool { !properties.isEmpty && additionalProperties == nil && !preservesUnknownFields }
}
