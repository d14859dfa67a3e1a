/// Group, version and resource (plural) of an API resource: `apps`, `v1`, `deployments`.
public struct GroupVersionResource: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var resource: String

    public init(group: String, version: String, resource: String) {
        self.group = group
        self.version = version
        self.resource = resource
    }

    /// `v1` for the core group, else `group/version`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// Upstream's `GroupVersionResource.String()`: `apps/v1, Resource=deployments`.
    public var description: String { "\(apiVersion), Resource=\(resource)" }
}

/// A discovery verb of a resource, spelled as upstream's discovery reports it.
public enum KubeVerb {
    public static let get = "get"
    public static let list = "list"
    public static let watch = "watch"
    public static let create = "create"
    public static let update = "update"
    public static let patch = "patch"
    public static let delete = "delete"
    public static let deleteCollection = "deletecollection"
}

/// A subresource of an API resource (`deployments/scale`), with the kind it serves — which may
/// belong to another group-version (`autoscaling/v1` `Scale`, `policy/v1` `Eviction`).
public struct KubeSubresource: Hashable, Sendable, CustomStringConvertible {
    /// The subresource alone: `status`, `scale`, `eviction`.
    public let name: String
    public let group: String
    public let version: String
    public let kind: String
    /// Discovery verbs, sorted.
    public let verbs: [String]

    public init(name: String, group: String, version: String, kind: String, verbs: [String]) {
        self.name = name
        self.group = group
        self.version = version
        self.kind = kind
        self.verbs = verbs
    }

    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }

    public func supports(_ verb: String) -> Bool { verbs.contains(verb) }

    public var description: String { "\(name) (\(groupVersionKind))" }
}

/// An API resource as discovery reports it and a REST mapper uses it, with its Swift types.
public struct KubeResource: Sendable, CustomStringConvertible {
    public let group: String
    public let version: String
    /// The plural resource name used in URLs: `deployments`.
    public let resource: String
    public let singularName: String
    public let kind: String
    /// Whether objects live in namespaces (`/namespaces/{namespace}/…`).
    public let namespaced: Bool
    /// Discovery verbs, sorted (`create`, `delete`, `deletecollection`, `get`, `list`, `patch`, `update`, `watch`).
    public let verbs: [String]
    public let shortNames: [String]
    public let categories: [String]
    /// Subresources sorted by name.
    public let subresources: [KubeSubresource]
    /// The Swift type of the kind, e.g. `AppsV1.Deployment.self`.
    public let type: any KubeObject.Type
    /// The Swift list type, e.g. `AppsV1.DeploymentList.self`; nil for create-only kinds (reviews, bindings).
    public let listType: (any KubeList.Type)?

    public init(
        group: String, version: String, resource: String, singularName: String, kind: String,
        namespaced: Bool, verbs: [String], shortNames: [String], categories: [String],
        subresources: [KubeSubresource], type: any KubeObject.Type, listType: (any KubeList.Type)?
    ) {
        self.group = group
        self.version = version
        self.resource = resource
        self.singularName = singularName
        self.kind = kind
        self.namespaced = namespaced
        self.verbs = verbs
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
        self.type = type
        self.listType = listType
    }

    public var groupVersionResource: GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: resource)
    }

    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }

    /// `v1` for the core group, else `group/version`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `pods`, `deployments.apps` — upstream's `GroupResource.String()`.
    public var groupResource: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public func supports(_ verb: String) -> Bool { verbs.contains(verb) }

    /// The subresource named `name` (`status`, `scale`), if served.
    public func subresource(_ name: String) -> KubeSubresource? { subresources.first { $0.name == name } }

    /// The URL path of the collection: `/api/v1/namespaces/NS/pods`, `/apis/apps/v1/deployments`.
    /// `namespace` is ignored for cluster-scoped resources; nil means all namespaces.
    public func collectionPath(namespace: String? = nil) -> String {
        let root = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { return "\(root)/namespaces/\(namespace)/\(resource)" }
        return "\(root)/\(resource)"
    }

    public var description: String { "\(groupVersionResource) (\(kind))" }
}

extension KubeResource: Equatable {
    public static func == (a: KubeResource, b: KubeResource) -> Bool {
        a.groupVersionResource == b.groupVersionResource && a.kind == b.kind && a.namespaced == b.namespaced
            && a.verbs == b.verbs && a.shortNames == b.shortNames && a.categories == b.categories
            && a.subresources == b.subresources && a.singularName == b.singularName
            && ObjectIdentifier(a.type) == ObjectIdentifier(b.type)
    }
}

/// An API group as discovery lists it: its served versions, preferred first.
public struct KubeAPIGroup: Hashable, Sendable {
    /// The group name; "" for the core (legacy) group served under `/api`.
    public let name: String
    /// Served versions, most preferred first.
    public let versions: [String]
    /// Discovery order across groups (upstream's `groupPriorityMinimum`; higher first).
    public let priority: Int

    public init(name: String, versions: [String], priority: Int) {
        self.name = name
        self.versions = versions
        self.priority = priority
    }

    public var preferredVersion: String { versions.first ?? "" }
}
