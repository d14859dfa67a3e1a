/// Writes `KubeResourceCatalog.swift`: the built-in resources and groups as plain array literals
/// of explicit initialisers (cheap to type-check).
struct ResourceEmitter {
    let plan: ResourcePlan

    func file() -> String {
        var s = SwiftEmitter.header + "\n"
        s += "extension KubeResourceCatalog {\n"
        s += "    /// Every API resource served for the generated group-versions, in discovery order:\n"
        s += "    /// groups by priority, versions preferred first, resources by name.\n"
        s += "    static let generatedResources: [KubeResource] = [\n"
        for r in plan.resources { s += resource(r) }
        s += "    ]\n\n"
        s += "    /// The served API groups in discovery order, each with its versions (preferred first).\n"
        s += "    static let generatedGroups: [KubeAPIGroup] = [\n"
        for g in plan.groups {
            s += "        KubeAPIGroup(name: \(literal(g.name)), versions: \(literal(g.versions)), priority: \(g.priority)),\n"
        }
        s += "    ]\n}\n"
        return s
    }

    private func resource(_ r: ResourcePlan.Resource) -> String {
        var s = "        KubeResource(\n"
        s += "            group: \(literal(r.group)), version: \(literal(r.version)), resource: \(literal(r.plural)),\n"
        s += "            singularName: \(literal(r.singular)), kind: \(literal(r.kind)), namespaced: \(r.namespaced),\n"
        s += "            verbs: \(literal(r.verbs)),\n"
        s += "            shortNames: \(literal(r.shortNames)), categories: \(literal(r.categories)),\n"
        if r.subresources.isEmpty {
            s += "            subresources: [],\n"
        } else {
            s += "            subresources: [\n"
            for sub in r.subresources {
                s += "                KubeSubresource(name: \(literal(sub.name)), group: \(literal(sub.gvk.group)), "
                s += "version: \(literal(sub.gvk.version)), kind: \(literal(sub.gvk.kind)), verbs: \(literal(sub.verbs))),\n"
            }
            s += "            ],\n"
        }
        s += "            type: \(r.swiftType).self, listType: \(r.listSwiftType.map { "\($0).self" } ?? "nil")\n"
        s += "        ),\n"
        return s
    }

    private func literal(_ string: String) -> String { "\"\(string)\"" }

    private func literal(_ strings: [String]) -> String { "[" + strings.map(literal).joined(separator: ", ") + "]" }
}
