import KubeModel

/// Which nodes a DaemonSet's pods belong on (upstream's `NodeShouldRunDaemonPod` and its
/// predicates): the template's nodeName, nodeSelector and required node affinity must match;
/// an untolerated NoSchedule or NoExecute taint keeps a new pod off the node, and only an
/// untolerated NoExecute taint evicts one already there.
public enum DaemonSetPlacement {
    /// `shouldRun`: a daemon pod should be on the node; `shouldContinueRunning`: one there may stay.
    public static func shouldRun(_ node: CoreV1.Node, _ ds: AppsV1.DaemonSet) -> (shouldRun: Bool, shouldContinueRunning: Bool) {
        let nodeName = node.metadata.name ?? ""
        var spec = ds.spec.template.spec ?? CoreV1.PodSpec(containers: [])
        if let pinned = spec.nodeName, !pinned.isEmpty, pinned != nodeName { return (false, false) }
        DaemonPodTemplate.addTolerations(&spec)
        guard matchesNodeSelector(spec, node) else { return (false, false) }
        let taints = node.spec.taints ?? []
        let tolerations = spec.tolerations ?? []
        let blocking = untoleratedTaint(taints, tolerations) { $0.effect == "NoSchedule" || $0.effect == "NoExecute" }
        if blocking == nil { return (true, true) }
        let evicting = untoleratedTaint(taints, tolerations) { $0.effect == "NoExecute" }
        return (false, evicting == nil)
    }

    /// The first taint passing `filter` that no toleration tolerates.
    public static func untoleratedTaint(_ taints: [CoreV1.Taint], _ tolerations: [CoreV1.Toleration],
                                        _ filter: (CoreV1.Taint) -> Bool) -> CoreV1.Taint? {
        taints.first { taint in filter(taint) && !tolerations.contains { TaintToleration.tolerates($0, taint) } }
    }

    /// The pod's nodeSelector and required node affinity both match the node.
    public static func matchesNodeSelector(_ spec: CoreV1.PodSpec, _ node: CoreV1.Node) -> Bool {
        let labels = node.metadata.labels ?? [:]
        for (key, value) in spec.nodeSelector ?? [:] where labels[key] != value { return false }
        guard let required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution else { return true }
        return required.nodeSelectorTerms.contains { termMatches($0, labels: labels, name: node.metadata.name ?? "") }
    }

    /// A term matches when all its expressions and fields do; an empty term matches nothing.
    static func termMatches(_ term: CoreV1.NodeSelectorTerm, labels: [String: String], name: String) -> Bool {
        let expressions = term.matchExpressions ?? []
        let fields = term.matchFields ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        for expression in expressions where !requirementMatches(expression, value: labels[expression.key]) { return false }
        for field in fields {
            guard field.key == "metadata.name", field.operator == "In" || field.operator == "NotIn" else { return false }
            if !requirementMatches(field, value: name) { return false }
        }
        return true
    }

    static func requirementMatches(_ requirement: CoreV1.NodeSelectorRequirement, value: String?) -> Bool {
        let values = requirement.values ?? []
        switch requirement.operator {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return !(value.map(values.contains) ?? false)
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let value, let actual = Int64(value), values.count == 1, let bound = Int64(values[0]) else { return false }
            return requirement.operator == "Gt" ? actual > bound : actual < bound
        default: return false
        }
    }
}
