import KubeModel

/// InterPodAffinity's scoring: the incoming pod's preferred terms against the pods already
/// placed, and the placed pods' required affinity (with `hardPodAffinityWeight`) and preferred
/// terms against the incoming pod, summed per topology domain.
extension InterPodAffinity {
    struct PreScoreState: Sendable {
        /// topologyKey → domain → score.
        var topologyScore: [String: [String: Int64]]
    }

    /// Unless the pod has preferred terms, only nodes holding pods with affinity terms can
    /// contribute (upstream looks at the snapshot's `HavePodsWithAffinityList` then); with no
    /// such node the plugin skips at once.
    public func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> PluginStatus {
        if nodes.isEmpty { return .skip }
        let hasConstraints = pod.hasAffinityTerms && {
            let podAffinity = pod.pod.spec.affinity
            return !(podAffinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).isEmpty
                || !(podAffinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).isEmpty
        }()
        if !hasConstraints && snapshot.affinityNodeIndices.isEmpty { return .skip }
        let terms = pod.affinityTerms
        var incomingNamespaceLabels: [String: String]??
        var scores: [String: [String: Int64]] = [:]

        func add(_ term: AffinityTerm, weight: Int64, labels: [String: String]) {
            guard let value = labels[term.topologyKey] else { return }
            scores[term.topologyKey, default: [:]][value, default: 0] += weight
        }
        func selectsIncoming(_ term: AffinityTerm) -> Bool {
            if term.usesNamespaceSelector && incomingNamespaceLabels == nil {
                incomingNamespaceLabels = .some(namespaceLabels?(pod.namespace))
            }
            return term.matches(namespace: pod.namespace, labels: pod.labels, namespaceLabels: incomingNamespaceLabels ?? nil)
        }

        func visit(_ node: NodeInfo) {
            let pods = hasConstraints ? node.pods : node.podsWithAffinity
            if pods.isEmpty { return }
            let labels = node.labels
            if labels.isEmpty { return }
            for existing in pods {
                for weighted in terms.preferredAffinity where incomingTerm(weighted.term, selects: existing) {
                    add(weighted.term, weight: Int64(weighted.weight), labels: labels)
                }
                for weighted in terms.preferredAntiAffinity where incomingTerm(weighted.term, selects: existing) {
                    add(weighted.term, weight: -Int64(weighted.weight), labels: labels)
                }
                let theirs = existing.affinityTerms
                if hardPodAffinityWeight > 0 {
                    for term in theirs.requiredAffinity where selectsIncoming(term) {
                        add(term, weight: Int64(hardPodAffinityWeight), labels: labels)
                    }
                }
                for weighted in theirs.preferredAffinity where selectsIncoming(weighted.term) {
                    add(weighted.term, weight: Int64(weighted.weight), labels: labels)
                }
                for weighted in theirs.preferredAntiAffinity where selectsIncoming(weighted.term) {
                    add(weighted.term, weight: -Int64(weighted.weight), labels: labels)
                }
            }
        }
        if hasConstraints {
            for node in snapshot.nodes { visit(node) }
        } else {
            for index in snapshot.affinityNodeIndices { visit(snapshot.nodes[index]) }
        }
        if scores.isEmpty { return .skip }
        state.write(Self.preScoreKey, PreScoreState(topologyScore: scores))
        return .success
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        guard let prepared = state.read(Self.preScoreKey), node.hasNode else { return 0 }
        let labels = node.labels
        var total: Int64 = 0
        for (key, domains) in prepared.topologyScore {
            if let value = labels[key] { total += domains[value] ?? 0 }
        }
        return total
    }

    /// Min-max scaling to 0...100 (scores may be negative).
    public func normalize(_ state: CycleState, pod: PodInfo, scores: inout [Int64]) {
        guard let prepared = state.read(Self.preScoreKey), !prepared.topologyScore.isEmpty,
              let lowest = scores.min(), let highest = scores.max() else { return }
        let spread = highest - lowest
        for index in scores.indices {
            scores[index] = spread > 0 ? Int64(Double(maxNodeScore) * (Double(scores[index] - lowest) / Double(spread))) : 0
        }
    }
}
