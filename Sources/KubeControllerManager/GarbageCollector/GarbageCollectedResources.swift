import KubeModel

/// The resources the garbage collector watches and how it finds the resource of an owner
/// reference (upstream's `GetDeletableResources` over preferred versions, and its REST mapper).
struct GarbageCollectedResources: Sendable {
    /// upstream's default `garbageCollectorIgnoredResources`: events in both groups.
    static let ignored: Set<String> = ["events", "events.events.k8s.io"]

    let catalog: KubeResourceCatalog
    /// One resource per group-resource, in its preferred version, that supports list, watch and delete.
    let watched: [KubeResource]

    init(catalog: KubeResourceCatalog = .builtIn) {
        self.catalog = catalog
        var seen = Set<String>()
        watched = catalog.resources.filter { resource in
            resource.supports(KubeVerb.list) && resource.supports(KubeVerb.watch) && resource.supports(KubeVerb.delete)
                && !Self.ignored.contains(resource.groupResource) && seen.insert(resource.groupResource).inserted
        }
    }

    /// The served resource of `apiVersion` and `kind`: that version if served, else the
    /// group's preferred one (owners may be named in any version).
    func resource(apiVersion: String, kind: String) -> KubeResource? {
        let group = OwnerReferences.apiGroup(of: apiVersion)
        let version = apiVersion.split(separator: "/").last.map(String.init) ?? apiVersion
        if let exact = catalog.resource(for: GroupVersionKind(group: group, version: version, kind: kind)) { return exact }
        return catalog.resources.first { $0.group == group && $0.kind == kind && $0.supports(KubeVerb.get) }
    }

    func resource(of identity: ObjectIdentity) -> KubeResource? {
        resource(apiVersion: identity.apiVersion, kind: identity.kind)
    }
}
