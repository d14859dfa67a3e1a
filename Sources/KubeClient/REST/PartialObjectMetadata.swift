import KubeModel

/// Any object reduced to its type and metadata (meta/v1 `PartialObjectMetadata`): what the
/// garbage collector and namespace controller need of resources whose Swift type they do not
/// know. Decoding a full object into it keeps `apiVersion`, `kind` and `metadata` and ignores
/// the rest.
public struct PartialObjectMetadata: KubeObject {
    public static var groupVersionKind: GroupVersionKind {
        GroupVersionKind(group: "meta.k8s.io", version: "v1", kind: "PartialObjectMetadata")
    }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: MetaV1.ObjectMeta

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: MetaV1.ObjectMeta = MetaV1.ObjectMeta()) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
    }
}

extension RESTClient {
    /// Access to `resource` decoding its objects as `type` (e.g. ``PartialObjectMetadata`` for
    /// any resource, or a resource the built-in catalog does not list).
    public func resource<Object: KubeObject>(
        _ type: Object.Type, of resource: KubeResource, namespace: String? = nil
    ) -> ResourceClient<Object> {
        ResourceClient(client: self, resource: resource, namespace: namespace)
    }
}

extension PartialObjectMetadata {
    /// Reads `apiVersion`, `kind` and `metadata`, skipping the rest of the object.
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        self.init()
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(&first) {
            switch key {
            case "apiVersion": apiVersion = try reader.readIfPresent(String.self)
            case "kind": kind = try reader.readIfPresent(String.self)
            case "metadata": metadata = try reader.readIfPresent(MetaV1.ObjectMeta.self) ?? MetaV1.ObjectMeta()
            default: try reader.skipValue()
            }
        }
    }
}
