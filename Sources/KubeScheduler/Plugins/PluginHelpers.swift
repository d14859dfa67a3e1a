import KubeModel

/// Upstream plugin names (`pkg/scheduler/framework/plugins/names`).
public enum PluginNames {
    public static let nodeName = "NodeName"
    public static let nodeUnschedulable = "NodeUnschedulable"
    public static let nodeResourcesFit = "NodeResourcesFit"
    public static let nodeResourcesBalancedAllocation = "NodeResourcesBalancedAllocation"
    public static let nodeAffinity = "NodeAffinity"
    public static let taintToleration = "TaintToleration"
    public static let nodePorts = "NodePorts"
    public static let interPodAffinity = "InterPodAffinity"
    public static let podTopologySpread = "PodTopologySpread"
    public static let imageLocality = "ImageLocality"
    public static let defaultPreemption = "DefaultPreemption"
}

/// Well-known label and taint names.
enum WellKnown {
    static let hostnameLabel = "kubernetes.io/hostname"
    static let unschedulableTaint = "node.kubernetes.io/unschedulable"
    static let noSchedule = "NoSchedule"
    static let noExecute = "NoExecute"
    static let preferNoSchedule = "PreferNoSchedule"
}

extension CoreV1.Toleration {
    /// Upstream `Toleration.ToleratesTaint`: the effect and key match when set, and the value
    /// matches for `Equal` (or no operator); `Exists` matches any value.
    func tolerates(_ taint: CoreV1.Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key, !key.isEmpty, key != taint.key { return false }
        switch self.operator ?? "" {
        case "", "Equal": return (value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }
}

/// Upstream `FindMatchingUntoleratedTaint`: the first taint passing `filter` that no toleration tolerates.
func firstUntoleratedTaint(_ taints: [CoreV1.Taint], _ tolerations: [CoreV1.Toleration],
                           where filter: (CoreV1.Taint) -> Bool) -> CoreV1.Taint? {
    for taint in taints where filter(taint) {
        if !tolerations.contains(where: { $0.tolerates(taint) }) { return taint }
    }
    return nil
}

/// The taints that keep pods off a node (`NoSchedule`, `NoExecute`).
func isDoNotScheduleTaint(_ taint: CoreV1.Taint) -> Bool {
    taint.effect == WellKnown.noSchedule || taint.effect == WellKnown.noExecute
}

/// One parsed node selector term (component-helpers `nodeSelectorTerm`): label requirements
/// and `metadata.name` field requirements, all ANDed.
struct NodeSelectorTermMatcher: Sendable {
    var labels: Labels.Selector?
    /// (value, equal) pairs on `metadata.name`; other field keys compare against "".
    var fields: [(key: String, value: String, equal: Bool)] = []

    /// Nil for a term without requirements (it matches nothing); throws when a requirement is invalid.
    init?(_ term: CoreV1.NodeSelectorTerm) throws(Labels.SelectorError) {
        let expressions = term.matchExpressions ?? []
        let fieldRequirements = term.matchFields ?? []
        if expressions.isEmpty && fieldRequirements.isEmpty { return nil }
        if !expressions.isEmpty {
            var requirements: [Labels.Requirement] = []
            for expression in expressions {
                let op: Labels.Operator
                switch expression.operator {
                case "In": op = .in
                case "NotIn": op = .notIn
                case "Exists": op = .exists
                case "DoesNotExist": op = .doesNotExist
                case "Gt": op = .greaterThan
                case "Lt": op = .lessThan
                default: throw Labels.SelectorError("\"\(expression.operator)\" is not a valid node selector operator")
                }
                requirements.append(try Labels.Requirement(key: expression.key, operator: op, values: expression.values ?? []))
            }
            labels = Labels.Selector(requirements: requirements)
        }
        for requirement in fieldRequirements {
            let values = requirement.values ?? []
            guard values.count == 1 else { throw Labels.SelectorError("must have one element") }
            switch requirement.operator {
            case "In": fields.append((requirement.key, values[0], true))
            case "NotIn": fields.append((requirement.key, values[0], false))
            default: throw Labels.SelectorError("\"\(requirement.operator)\" is not a supported field selector operator")
            }
        }
    }

    func matches(labels nodeLabels: [String: String], name: String) -> Bool {
        if let labels, !labels.matches(nodeLabels) { return false }
        // Upstream skips field requirements when the node has no name.
        if !name.isEmpty {
            for field in fields {
                let actual = field.key == "metadata.name" ? name : ""
                if (actual == field.value) != field.equal { return false }
            }
        }
        return true
    }
}

/// The pod's `spec.nodeSelector` plus its required node affinity (component-helpers
/// `RequiredNodeAffinity`). Terms that fail to parse are ignored, as upstream does.
struct RequiredNodeAffinity: Sendable {
    private var nodeSelector: [String: String]?
    /// Nil when the pod has no required node affinity; otherwise the ORed terms that parsed.
    private var terms: [NodeSelectorTermMatcher]?

    init(_ pod: CoreV1.Pod) {
        if let selector = pod.spec.nodeSelector, !selector.isEmpty { nodeSelector = selector }
        if let required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution {
            terms = required.nodeSelectorTerms.compactMap { term in (try? NodeSelectorTermMatcher(term)) ?? nil }
        }
    }

    var isEmpty: Bool { nodeSelector == nil && terms == nil }

    func matches(_ node: NodeInfo) -> Bool {
        guard node.hasNode else { return false }
        if nodeSelector == nil && terms == nil { return true }
        let labels = node.labels
        if let nodeSelector {
            for (key, value) in nodeSelector where labels[key] != value { return false }
        }
        if let terms {
            let name = node.node?.metadata.name ?? ""
            return terms.contains { $0.matches(labels: labels, name: name) }
        }
        return true
    }
}
