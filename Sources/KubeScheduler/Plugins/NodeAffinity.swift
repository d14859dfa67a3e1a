import KubeComponentHelpers
import KubeModel

/// Keeps pods on nodes matching their `spec.nodeSelector` and required node affinity, and
/// prefers nodes matching their preferred node affinity terms (upstream `NodeAffinity`).
public struct NodeAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static let errReasonPod = "node(s) didn't match Pod's node affinity/selector"
    public static let errReasonConflict = "pod affinity terms conflict"

    static let preFilterKey = CycleState.Key<RequiredNodeAffinity>(.nodeAffinityPreFilter)
    static let preScoreKey = CycleState.Key<PreScoreState>(.nodeAffinityPreScore)

    struct PreScoreState: Sendable {
        var terms: [(matcher: NodeSelectorTermMatcher, weight: Int64)]
    }

    public init() {}

    public var name: String { PluginNames.nodeAffinity }

    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        let required = RequiredNodeAffinity(pod.pod)
        if required.isEmpty { return .skip }
        state.write(Self.preFilterKey, required)
        // Terms that each pin metadata.name to disjoint node sets can never match.
        guard let terms = pod.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        else { return .success }
        var names: Set<String>?
        for term in terms {
            var termNames: Set<String>?
            for field in term.matchFields ?? [] where field.key == "metadata.name" && field.operator == "In" {
                let values = Set(field.values ?? [])
                termNames = termNames.map { $0.intersection(values) } ?? values
            }
            // A term without a name requirement allows every node.
            guard let termNames else { return .success }
            names = (names ?? []).union(termNames)
        }
        if let names, names.isEmpty { return .unresolvable(Self.errReasonConflict) }
        return .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        let required = state.read(Self.preFilterKey) ?? RequiredNodeAffinity(pod.pod)
        return required.matches(node) ? .success : .unresolvable(Self.errReasonPod)
    }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> PluginStatus {
        let preferred = Self.preferredTerms(pod.pod)
        if preferred.isEmpty { return .skip }
        state.write(Self.preScoreKey, PreScoreState(terms: preferred))
        return .success
    }

    /// The sum of the weights of the preferred terms the node matches.
    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        guard node.hasNode else { return 0 }
        let terms = state.read(Self.preScoreKey)?.terms ?? Self.preferredTerms(pod.pod)
        let labels = node.labels
        var total: Int64 = 0
        for term in terms where term.matcher.matches(labels: labels, name: node.name) { total += term.weight }
        return total
    }

    public func normalize(_ state: CycleState, pod: PodInfo, scores: inout [Int64]) {
        scores.normalizeToMaxScore(reverse: false)
    }

    /// Upstream `NewPreferredSchedulingTerms`: terms with weight 0 or no requirements are
    /// dropped; if any term fails to parse the pod gets no preferences at all.
    static func preferredTerms(_ pod: CoreV1.Pod) -> [(matcher: NodeSelectorTermMatcher, weight: Int64)] {
        guard let terms = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution else { return [] }
        var parsed: [(matcher: NodeSelectorTermMatcher, weight: Int64)] = []
        for term in terms where term.weight != 0 {
            do {
                guard let matcher = try NodeSelectorTermMatcher(term.preference) else { continue }
                parsed.append((matcher, Int64(term.weight)))
            } catch {
                return []
            }
        }
        return parsed
    }
}
