/// One operation of a schema path: its `x-kubernetes-action` and `x-kubernetes-group-version-kind`.
struct SchemaOperation: Decodable {
    let action: String?
    let groupVersionKind: SchemaGVK?

    enum CodingKeys: String, CodingKey {
        case action = "x-kubernetes-action"
        case groupVersionKind = "x-kubernetes-group-version-kind"
    }
}

/// A schema path item: HTTP method (`get`, `post`, …) → operation. Parameters are ignored.
struct SchemaPathItem: Decodable {
    let operations: [String: SchemaOperation]

    private enum Method: String, CodingKey, CaseIterable {
        case get, put, post, delete, patch, head, options
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Method.self)
        var ops: [String: SchemaOperation] = [:]
        for m in Method.allCases {
            if let op = try c.decodeIfPresent(SchemaOperation.self, forKey: m) { ops[m.rawValue] = op }
        }
        operations = ops
    }
}

/// The API resources served for the generated group-versions, as discovery reports them.
struct ResourcePlan {
    struct Subresource {
        let name: String
        let gvk: SchemaGVK
        let verbs: [String]
    }

    struct Resource {
        let group: String
        let version: String
        let plural: String
        let singular: String
        let kind: String
        let namespaced: Bool
        let verbs: [String]
        let shortNames: [String]
        let categories: [String]
        let subresources: [Subresource]
        let swiftType: String
        let listSwiftType: String?
    }

    struct Group {
        let name: String
        /// Served versions, preferred first.
        let versions: [String]
        let priority: Int
    }

    let resources: [Resource]
    let groups: [Group]
}

/// Derives the resource catalog from the schema's `paths` and the model plan: a resource is
/// served if a path of a generated group-version names it and its kind is a generated object.
struct ResourcePlanner {
    let paths: [String: SchemaPathItem]
    let model: ModelPlan

    private struct Accumulator {
        var namespaced = false
        var kind: SchemaGVK?
        var verbs = Set<String>()
        var subresources: [String: (gvk: SchemaGVK?, verbs: Set<String>)] = [:]
    }

    /// Discovery verb of an operation, as upstream's installer reports it (`toDiscoveryKubeVerb`):
    /// `post` → `create`, `put` → `update`, `watchlist` → `watch`; connect operations by HTTP
    /// method, where HEAD and OPTIONS are not listed.
    static func discoveryVerb(action: String, method: String) -> String? {
        switch action {
        case "get", "list", "patch", "delete", "deletecollection", "watch": return action
        case "watchlist": return "watch"
        case "post": return "create"
        case "put": return "update"
        case "connect":
            switch method {
            case "get": return "get"
            case "post": return "create"
            case "put": return "update"
            case "patch": return "patch"
            case "delete": return "delete"
            default: return nil
            }
        default: return nil
        }
    }

    func plan() throws -> ResourcePlan {
        var objectTypes: [String: String] = [:]
        var listTypes: [String: String] = [:]
        for t in model.types {
            switch t.conformance {
            case .object(let g): objectTypes[key(g.group, g.version, g.kind)] = t.qualifiedName
            case .list(_, let item): listTypes[item] = t.qualifiedName
            case .none: break
            }
        }
        let servedGroupVersions = Set(model.types.compactMap { t -> String? in
            if case .object(let g) = t.conformance { return key(g.group, g.version) }
            return nil
        })

        var acc: [String: Accumulator] = [:]
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            guard let shape = Self.parse(path), servedGroupVersions.contains(key(shape.group, shape.version)) else { continue }
            let id = key(shape.group, shape.version, shape.resource)
            var a = acc[id] ?? Accumulator()
            for (method, op) in item.operations.sorted(by: { $0.key < $1.key }) {
                guard let action = op.action else { continue }
                let verb = Self.discoveryVerb(action: action, method: method)
                if let sub = shape.subresource {
                    var s = a.subresources[sub] ?? (nil, [])
                    if s.gvk == nil { s.gvk = op.groupVersionKind }
                    if let verb { s.verbs.insert(verb) }
                    a.subresources[sub] = s
                } else {
                    a.namespaced = a.namespaced || shape.namespaced
                    if let verb { a.verbs.insert(verb) }
                    if a.kind == nil, let g = op.groupVersionKind, g.group == shape.group, g.version == shape.version {
                        a.kind = g
                    }
                }
            }
            acc[id] = a
        }

        var resources: [ResourcePlan.Resource] = []
        for (id, a) in acc {
            let parts = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let (group, version, plural) = (parts[0], parts[1], parts[2])
            guard let kind = a.kind, let type = objectTypes[key(kind.group, kind.version, kind.kind)] else { continue }
            let gr = ResourceNames.groupResource(plural, group: group)
            let subs = a.subresources.keys.sorted().compactMap { name -> ResourcePlan.Subresource? in
                guard let s = a.subresources[name], let gvk = s.gvk else { return nil }
                return .init(name: name, gvk: gvk, verbs: s.verbs.sorted())
            }
            resources.append(.init(
                group: group, version: version, plural: plural, singular: kind.kind.lowercased(),
                kind: kind.kind, namespaced: a.namespaced, verbs: a.verbs.sorted(),
                shortNames: ResourceNames.shortNames[gr] ?? [], categories: ResourceNames.categories[gr] ?? [],
                subresources: subs, swiftType: type, listSwiftType: listTypes[type]))
        }

        let known = Set(resources.map { ResourceNames.groupResource($0.plural, group: $0.group) })
        for gr in Set(ResourceNames.shortNames.keys).union(ResourceNames.categories.keys) where !known.contains(gr) {
            throw GeneratorError.unsupported("ResourceNames", "\(gr) is not a served resource")
        }

        var versionsByGroup: [String: Set<String>] = [:]
        for r in resources { versionsByGroup[r.group, default: []].insert(r.version) }
        var groups: [ResourcePlan.Group] = []
        for (name, versions) in versionsByGroup {
            guard let priority = ResourceNames.groupPriorities[name] else {
                throw GeneratorError.unsupported("ResourceNames.groupPriorities", "no priority for group \"\(name)\"")
            }
            groups.append(.init(name: name, versions: versions.sorted(by: ResourceNames.versionPrecedes), priority: priority))
        }
        groups.sort { $0.priority != $1.priority ? $0.priority > $1.priority : $0.name < $1.name }

        let groupOrder = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1.name, $0) })
        resources.sort { a, b in
            if a.group != b.group { return groupOrder[a.group]! < groupOrder[b.group]! }
            if a.version != b.version { return ResourceNames.versionPrecedes(a.version, b.version) }
            return a.plural < b.plural
        }
        return ResourcePlan(resources: resources, groups: groups)
    }

    private struct PathShape {
        let group: String
        let version: String
        let namespaced: Bool
        let resource: String
        let subresource: String?
    }

    /// `/api/v1/namespaces/{namespace}/pods/{name}/status`, `/apis/apps/v1/watch/deployments`, …
    private static func parse(_ path: String) -> PathShape? {
        var comps = path.split(separator: "/").map(String.init)
        let group: String, version: String
        if comps.first == "api", comps.count >= 2 {
            (group, version) = ("", comps[1])
            comps.removeFirst(2)
        } else if comps.first == "apis", comps.count >= 3 {
            (group, version) = (comps[1], comps[2])
            comps.removeFirst(3)
        } else {
            return nil
        }
        if comps.first == "watch" { comps.removeFirst() }
        var namespaced = false
        if comps.count >= 3, comps[0] == "namespaces", comps[1] == "{namespace}" {
            namespaced = true
            comps.removeFirst(2)
        }
        guard let resource = comps.first, !resource.hasPrefix("{") else { return nil }
        if comps.count >= 2 && comps[1] != "{name}" { return nil }
        let subresource = comps.count >= 3 ? comps[2] : nil
        return PathShape(group: group, version: version, namespaced: namespaced, resource: resource, subresource: subresource)
    }

    private func key(_ parts: String...) -> String { parts.joined(separator: "/") }
}
