import KubeModel

/// What the scheduler benchmark reads of a pod: its name, resourceVersion and `spec.nodeName`.
/// The load generator decodes every pod event of its watch; reading only these fields (and
/// skipping the rest of each object) keeps its CPU off the two cores it measures.
struct PodPlacement: KubeObject {
    static var groupVersionKind: GroupVersionKind { CoreV1.Pod.groupVersionKind }

    var apiVersion: String?
    var kind: String?
    var metadata = MetaV1.ObjectMeta()
    var nodeName: String?

    init() {}

    init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(&first) {
            switch key {
            case "metadata": metadata = try Self.identity(&reader)
            case "spec": nodeName = try Self.nodeName(&reader)
            default: try reader.skipValue()
            }
        }
    }

    /// `metadata.name` and `metadata.resourceVersion`.
    private static func identity(_ reader: inout JSONReader) throws(JSONParser.SyntaxError) -> MetaV1.ObjectMeta {
        var metadata = MetaV1.ObjectMeta()
        if try reader.readNull() { return metadata }
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(&first) {
            switch key {
            case "name": metadata.name = try reader.readIfPresent(String.self)
            case "resourceVersion": metadata.resourceVersion = try reader.readIfPresent(String.self)
            default: try reader.skipValue()
            }
        }
        return metadata
    }

    private static func nodeName(_ reader: inout JSONReader) throws(JSONParser.SyntaxError) -> String? {
        var nodeName: String?
        if try reader.readNull() { return nil }
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(&first) {
            if key == "nodeName" { nodeName = try reader.readIfPresent(String.self) } else { try reader.skipValue() }
        }
        return nodeName
    }

    func jsonValue() throws(EncodingError) -> JSONValue {
        var spec: [String: JSONValue] = [:]
        spec["nodeName"] = nodeName.map(JSONValue.string)
        return .object(["metadata": try metadata.jsonValue(), "spec": .object(spec)])
    }

    // Codable, for the client's fallback decoder.
    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }
    private struct Spec: Codable { var nodeName: String? }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(MetaV1.ObjectMeta.self, forKey: .metadata) ?? MetaV1.ObjectMeta()
        nodeName = try container.decodeIfPresent(Spec.self, forKey: .spec)?.nodeName
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(Spec(nodeName: nodeName), forKey: .spec)
    }
}
