import KubeModel

/// Aggregated discovery (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`): every group, version
/// and resource in one document, served for `/api` and `/apis` when the client asks for it.
public enum AggregatedDiscovery {
    /// The media type a client asks for and the exact `Content-Type` of the reply.
    public static let contentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    public struct List: Codable, Sendable, Equatable {
        public var kind = "APIGroupDiscoveryList"
        public var apiVersion = "apidiscovery.k8s.io/v2"
        public var metadata = Metadata()
        public var items: [Group]
    }

    public struct Metadata: Codable, Sendable, Equatable {
        public var name: String?
    }

    public struct Group: Codable, Sendable, Equatable {
        public var metadata: Metadata
        public var versions: [Version]
    }

    public struct Version: Codable, Sendable, Equatable {
        public var version: String
        public var resources: [Resource]
        public var freshness = "Current"
    }

    public struct ResponseKind: Codable, Sendable, Equatable {
        public var group: String
        public var version: String
        public var kind: String
    }

    public struct Resource: Codable, Sendable, Equatable {
        public var resource: String
        public var responseKind: ResponseKind
        public var scope: String
        public var singularResource: String
        public var verbs: [String]
        public var shortNames: [String]?
        public var categories: [String]?
        public var subresources: [Subresource]?
    }

    public struct Subresource: Codable, Sendable, Equatable {
        public var subresource: String
        public var responseKind: ResponseKind
        public var verbs: [String]
    }

    /// The list for `groups` (the core group alone for `/api`, the named groups for `/apis`).
    public static func list(catalog: KubeResourceCatalog, groups: [KubeAPIGroup]) -> List {
        List(items: groups.map { group in
            Group(
                metadata: Metadata(name: group.name),
                versions: group.versions.map { version in
                    Version(version: version, resources: catalog.resources(group: group.name, version: version).map(resource))
                })
        })
    }

    static func resource(_ r: KubeResource) -> Resource {
        Resource(
            resource: r.resource,
            responseKind: ResponseKind(group: r.group, version: r.version, kind: r.kind),
            scope: r.namespaced ? "Namespaced" : "Cluster",
            singularResource: r.singularName,
            verbs: r.verbs,
            shortNames: r.shortNames.isEmpty ? nil : r.shortNames,
            categories: r.categories.isEmpty ? nil : r.categories,
            subresources: r.subresources.isEmpty ? nil : r.subresources.map {
                Subresource(
                    subresource: $0.name,
                    responseKind: ResponseKind(group: $0.group, version: $0.version, kind: $0.kind),
                    verbs: $0.verbs)
            })
    }
}
