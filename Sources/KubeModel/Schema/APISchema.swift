import Foundation

/// The Kubernetes OpenAPI v2 document Skiff is built from (`api/openapi-v2-schema.json`,
/// embedded at generation time), parsed for the runtime: the definitions with their patch and
/// list extensions (strategic merge patch, server-side apply, field validation) and the whole
/// document (the OpenAPI v3 documents the server publishes are derived from it).
public final class APISchema: Sendable {
    /// The whole document as parsed.
    public let document: JSONValue
    /// Definition name → schema.
    public let definitions: [String: SchemaNode]
    private let definitionByKind: [GroupVersionKind: String]

    public init(json: some Sequence<UInt8>) throws {
        document = try JSONParser.parse(json)
        var definitions: [String: SchemaNode] = [:]
        var byKind: [GroupVersionKind: String] = [:]
        if case .object(let defs)? = document["definitions"] {
            for (name, value) in defs {
                let node = SchemaNode(json: value)
                definitions[name] = node
                for gvk in node.groupVersionKinds where byKind[gvk] == nil || name.hasPrefix("io.k8s.api") {
                    byKind[gvk] = name
                }
            }
        }
        self.definitions = definitions
        definitionByKind = byKind
    }

    /// The schema of the Kubernetes release Skiff serves (parsed once, on first use).
    public static let builtIn: APISchema = {
        do {
            return try APISchema(json: embeddedDocument.utf8)
        } catch {
            fatalError("the embedded API schema does not parse: \(error)")
        }
    }()

    /// The definition name of a kind (`io.k8s.api.core.v1.Pod`).
    public func definitionName(for gvk: GroupVersionKind) -> String? { definitionByKind[gvk] }

    /// The schema of a kind.
    public func schema(for gvk: GroupVersionKind) -> SchemaNode? {
        definitionByKind[gvk].flatMap { definitions[$0] }
    }

    /// `node` with its `$ref` followed (the node itself when it has none or the target is unknown).
    public func resolve(_ node: SchemaNode) -> SchemaNode {
        var current = node
        var hops = 0
        while let ref = current.ref, let target = definitions[ref], hops < 16 {
            current = target
            hops += 1
        }
        return current
    }

    /// The resolved schema of field `name` of the object schema `node`.
    public func field(_ name: String, of node: SchemaNode) -> SchemaNode? {
        let resolved = resolve(node)
        if let property = resolved.properties[name] { return property }
        return resolved.additionalProperties
    }
}
