import KubeComponentHelpers
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
