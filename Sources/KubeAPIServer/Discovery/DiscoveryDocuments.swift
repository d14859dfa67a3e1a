import Foundation
import KubeModel

/// The discovery documents of the served API, built from a `KubeResourceCatalog`: the legacy
/// `/api`, `/apis`, `/api/v1`, `/apis/GROUP[/VERSION]` documents and the aggregated v2 lists
/// (see `AggregatedDiscovery`). Built once; each document is encoded JSON, ready to send.
public struct DiscoveryDocuments: Sendable {
    public let catalog: KubeResourceCatalog

    /// `GET /api`.
    public let apiVersions: [UInt8]
    /// `GET /apis`.
    public let apiGroupList: [UInt8]
    /// `GET /api` and `GET /apis` asked as `APIGroupDiscoveryList`.
    public let aggregatedCore: [UInt8]
    public let aggregatedGroups: [UInt8]
    /// `GET /api/v1`, `GET /apis/G/V` by `apiVersion` (`v1`, `apps/v1`).
    private let resourceLists: [String: [UInt8]]
    /// `GET /apis/G` by group name.
    private let groups: [String: [UInt8]]

    public init(catalog: KubeResourceCatalog = .builtIn) {
        self.catalog = catalog
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func encode(_ value: some Encodable) -> [UInt8] {
            (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
        }

        let core = catalog.group(named: "")
        apiVersions = encode(MetaV1.APIVersions(
            apiVersion: "v1", kind: "APIVersions",
            serverAddressByClientCIDRs: [Self.anyClientAddress],
            versions: core?.versions ?? ["v1"]))

        let named = catalog.groups.filter { !$0.name.isEmpty }
        let groupDocuments = named.map(Self.apiGroup)
        apiGroupList = encode(MetaV1.APIGroupList(apiVersion: "v1", groups: groupDocuments, kind: "APIGroupList"))
        var groups: [String: [UInt8]] = [:]
        for group in groupDocuments {
            var document = group
            document.apiVersion = "v1"
            document.kind = "APIGroup"
            groups[group.name] = encode(document)
        }
        self.groups = groups

        var lists: [String: [UInt8]] = [:]
        for group in catalog.groups {
            for version in group.versions {
                let list = Self.resourceList(catalog: catalog, group: group.name, version: version)
                lists[list.groupVersion] = encode(list)
            }
        }
        resourceLists = lists

        aggregatedCore = encode(AggregatedDiscovery.list(catalog: catalog, groups: core.map { [$0] } ?? []))
        aggregatedGroups = encode(AggregatedDiscovery.list(catalog: catalog, groups: named))
    }

    /// The `APIResourceList` of a group-version (`""`/`v1`, `apps`/`v1`), nil when not served.
    public func resourceList(group: String, version: String) -> [UInt8]? {
        resourceLists[group.isEmpty ? version : "\(group)/\(version)"]
    }

    /// The `APIGroup` document of a named group, nil when not served.
    public func apiGroup(named name: String) -> [UInt8]? { groups[name] }

    /// Upstream reports the server address for every client network.
    static let anyClientAddress = MetaV1.ServerAddressByClientCIDR(clientCIDR: "0.0.0.0/0", serverAddress: "")

    static func apiGroup(_ group: KubeAPIGroup) -> MetaV1.APIGroup {
        let versions = group.versions.map {
            MetaV1.GroupVersionForDiscovery(groupVersion: "\(group.name)/\($0)", version: $0)
        }
        return MetaV1.APIGroup(
            name: group.name,
            preferredVersion: MetaV1.GroupVersionForDiscovery(
                groupVersion: "\(group.name)/\(group.preferredVersion)", version: group.preferredVersion),
            versions: versions)
    }

    /// The resources of one group-version, each followed by its subresources (`pods/log`).
    static func resourceList(catalog: KubeResourceCatalog, group: String, version: String) -> MetaV1.APIResourceList {
        var entries: [MetaV1.APIResource] = []
        for resource in catalog.resources(group: group, version: version) {
            entries.append(MetaV1.APIResource(
                categories: resource.categories.isEmpty ? nil : resource.categories,
                kind: resource.kind, name: resource.resource, namespaced: resource.namespaced,
                shortNames: resource.shortNames.isEmpty ? nil : resource.shortNames,
                singularName: resource.singularName, verbs: resource.verbs))
            for sub in resource.subresources {
                let sameGroupVersion = sub.group == group && sub.version == version
                entries.append(MetaV1.APIResource(
                    group: sameGroupVersion ? nil : sub.group,
                    kind: sub.kind, name: "\(resource.resource)/\(sub.name)", namespaced: resource.namespaced,
                    singularName: "", verbs: sub.verbs,
                    version: sameGroupVersion ? nil : sub.version))
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return MetaV1.APIResourceList(
            apiVersion: "v1", groupVersion: groupVersion, kind: "APIResourceList", resources: entries)
    }
}
