import Foundation

/// The part of an OpenAPI v2 schema object that the model generator reads.
final class Schema: Decodable {
    let type: String?
    let format: String?
    let ref: String?
    let properties: [String: Schema]?
    let required: [String]?
    let items: Schema?
    let additionalProperties: Schema?
    let groupVersionKinds: [SchemaGVK]?

    enum CodingKeys: String, CodingKey {
        case type, format, properties, required, items, additionalProperties
        case ref = "$ref"
        case groupVersionKinds = "x-kubernetes-group-version-kind"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        ref = try c.decodeIfPresent(String.self, forKey: .ref)
        properties = try c.decodeIfPresent([String: Schema].self, forKey: .properties)
        required = try c.decodeIfPresent([String].self, forKey: .required)
        items = try c.decodeIfPresent(Schema.self, forKey: .items)
        additionalProperties = try? c.decodeIfPresent(Schema.self, forKey: .additionalProperties)
        groupVersionKinds = try c.decodeIfPresent([SchemaGVK].self, forKey: .groupVersionKinds)
    }

    /// The definition name a `$ref` points at (`#/definitions/NAME`).
    var refName: String? {
        guard let ref else { return nil }
        return ref.hasPrefix("#/definitions/") ? String(ref.dropFirst("#/definitions/".count)) : ref
    }
}

struct SchemaGVK: Decodable {
    let group: String
    let version: String
    let kind: String
}

struct SchemaDocument: Decodable {
    let definitions: [String: Schema]
    /// The API paths and their operations (read by `ResourcePlanner`).
    let paths: [String: SchemaPathItem]?
}
