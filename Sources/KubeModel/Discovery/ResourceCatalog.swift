/// A table of API resources with the look-ups discovery and REST mapping need.
/// `KubeResourceCatalog.builtIn` holds every resource of the generated (GA) group-versions.
public struct KubeResourceCatalog: Sendable {
    /// Resources in discovery order: groups by priority, versions preferred first, resources by name.
    public let resources: [KubeResource]
    /// Groups in discovery order, each with its versions preferred first.
    public let groups: [KubeAPIGroup]

    private let byGVR: [GroupVersionResource: Int]
    private let byGVK: [GroupVersionKind: Int]
    private let groupIndex: [String: Int]

    /// The built-in resources served for the generated group-versions.
    public static let builtIn = KubeResourceCatalog(resources: generatedResources, groups: generatedGroups)

    /// `resources` should be in discovery order; the first resource of a GVK wins `resource(for:)`.
    public init(resources: [KubeResource], groups: [KubeAPIGroup]) {
        self.resources = resources
        self.groups = groups
        var gvr: [GroupVersionResource: Int] = [:]
        var gvk: [GroupVersionKind: Int] = [:]
        for (i, r) in resources.enumerated() {
            if gvr[r.groupVersionResource] == nil { gvr[r.groupVersionResource] = i }
            if gvk[r.groupVersionKind] == nil { gvk[r.groupVersionKind] = i }
        }
        byGVR = gvr
        byGVK = gvk
        var gi: [String: Int] = [:]
        for (i, g) in groups.enumerated() where gi[g.name] == nil { gi[g.name] = i }
        groupIndex = gi
    }

    // MARK: Exact look-ups

    public func resource(_ gvr: GroupVersionResource) -> KubeResource? {
        byGVR[gvr].map { resources[$0] }
    }

    public func resource(group: String, version: String, resource: String) -> KubeResource? {
        self.resource(GroupVersionResource(group: group, version: version, resource: resource))
    }

    /// The resource serving a kind (REST mapping `KindFor` → `RESTMapping`).
    public func resource(for gvk: GroupVersionKind) -> KubeResource? {
        byGVK[gvk].map { resources[$0] }
    }

    /// The resource serving a Swift type, e.g. `AppsV1.Deployment.self`.
    public func resource(for type: any KubeObject.Type) -> KubeResource? {
        resource(for: type.groupVersionKind)
    }

    /// Resources of one group-version (what `/api/v1` or `/apis/GROUP/VERSION` lists), in name order.
    public func resources(group: String, version: String) -> [KubeResource] {
        resources.filter { $0.group == group && $0.version == version }
    }

    public func group(named name: String) -> KubeAPIGroup? {
        groupIndex[name].map { groups[$0] }
    }

    /// The group's preferred version (`autoscaling` → `v2`), nil for unknown groups.
    public func preferredVersion(ofGroup name: String) -> String? {
        group(named: name)?.preferredVersion
    }

    /// Whether a group-version is served.
    public func serves(group: String, version: String) -> Bool {
        self.group(named: group)?.versions.contains(version) ?? false
    }

    // MARK: kubectl-style resolution

    /// Resources of a category (`all`, `api-extensions`), one per group-resource in its most
    /// preferred version, in discovery order — what `kubectl get all` lists.
    public func resources(inCategory category: String) -> [KubeResource] {
        let wanted = category.lowercased()
        var seen = Set<String>()
        return resources.filter { r in
            r.categories.contains(wanted) && seen.insert(r.groupResource).inserted
        }
    }

    /// Every resource an argument may name, the most preferred first, as kubectl resolves
    /// `kubectl get ARG`: a resource (plural, singular or short name, case-insensitively),
    /// optionally qualified as `resource.group` or `resource.version.group`; failing that, a
    /// kind (`Deployment`, `Deployment.apps`, `Deployment.v1.apps`). Candidates come in discovery
    /// order, so the core group beats `events.k8s.io` for `events` and `autoscaling/v2` beats
    /// `autoscaling/v1` for `hpa`.
    public func resolve(_ argument: String) -> [KubeResource] {
        let parts = argument.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, !name.isEmpty else { return [] }
        for byKind in [false, true] {
            let matchName: (KubeResource) -> Bool = byKind
                ? { $0.kind.lowercased() == name }
                : { $0.resource == name || $0.singularName == name || $0.shortNames.contains(name) }
            if parts.count >= 3 {
                let version = parts[1], group = parts[2...].joined(separator: ".")
                let found = resources.filter { $0.group == group && $0.version == version && matchName($0) }
                if !found.isEmpty { return found }
            }
            if parts.count >= 2 {
                let group = parts[1...].joined(separator: ".")
                let found = resources.filter { $0.group == group && matchName($0) }
                if !found.isEmpty { return found }
            }
            if parts.count == 1 {
                let found = resources.filter(matchName)
                if !found.isEmpty { return found }
            }
        }
        return []
    }

    /// The preferred resource an argument names (see `resolve(_:)`), e.g. `po` → v1 pods.
    public func resource(named argument: String) -> KubeResource? {
        resolve(argument).first
    }
}
