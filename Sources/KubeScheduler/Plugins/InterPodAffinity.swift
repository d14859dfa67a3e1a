import KubeModel

/// Inter-pod affinity and anti-affinity (upstream `InterPodAffinity`): the pod's required
/// affinity and anti-affinity terms and the required anti-affinity terms of the pods already
/// placed, counted per topology domain (`topologyKey` = label value); the preferred terms score
/// (see `InterPodAffinity+Score.swift`).
///
/// Terms with a `namespaceSelector` need namespace labels: pass `namespaceLabels` (a lookup by
/// namespace name). Without it, a namespace selector is matched against empty labels, so only
/// an empty selector (`{}`, every namespace) selects anything.
public struct InterPodAffinity: PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static let errReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules"
    public static let errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules"
    public static let errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules"

    static let preFilterKey = CycleState.Key<PreFilterState>(.interPodAffinityPreFilter)
    static let preScoreKey = CycleState.Key<PreScoreState>(.interPodAffinityPreScore)

    public let namespaceLabels: (@Sendable (String) -> [String: String]?)?
    /// Weight of existing pods' required affinity terms the incoming pod matches, in scoring.
    public let hardPodAffinityWeight: Int32

    public init(namespaceLabels: (@Sendable (String) -> [String: String]?)? = nil, hardPodAffinityWeight: Int32 = 1) {
        self.namespaceLabels = namespaceLabels
        self.hardPodAffinityWeight = hardPodAffinityWeight
    }

    public var name: String { PluginNames.interPodAffinity }

    struct TopologyPair: Hashable, Sendable {
        var key: String
        var value: String
    }

    struct PreFilterState: Sendable {
        var terms: PodAffinityTerms
        var namespaceLabels: [String: String]?
        /// Domains where existing pods' required anti-affinity terms select the incoming pod.
        var existingAntiAffinityCounts: [TopologyPair: Int64] = [:]
        /// The topology keys of those domains (usually one or two), so Filter looks up a node's
        /// value for each of them instead of trying every label of the node. May keep keys
        /// whose counts fell to zero.
        var existingAntiAffinityKeys: Set<String> = []
        /// Domains with pods matching all the incoming pod's required affinity terms.
        var affinityCounts: [TopologyPair: Int64] = [:]
        /// Domains with pods matching one of the incoming pod's required anti-affinity terms.
        var antiAffinityCounts: [TopologyPair: Int64] = [:]
    }

    // MARK: Matching

    /// Whether `term` (declared by the incoming pod) selects `pod`.
    func incomingTerm(_ term: AffinityTerm, selects pod: PodInfo) -> Bool {
        let namespace = pod.namespace
        let labels = term.usesNamespaceSelector && !term.namespaces.contains(namespace) ? namespaceLabels?(namespace) : nil
        return term.matches(namespace: namespace, labels: pod.labels, namespaceLabels: labels)
    }

    func selectsAll(_ terms: [AffinityTerm], _ pod: PodInfo) -> Bool {
        if terms.isEmpty { return false }
        for index in terms.indices where !incomingTerm(terms[index], selects: pod) { return false }
        return true
    }

    static func update(_ counts: inout [TopologyPair: Int64], labels: [String: String], key: String, by value: Int64) {
        guard let domain = labels[key] else { return }
        let pair = TopologyPair(key: key, value: domain)
        let updated = counts[pair, default: 0] + value
        counts[pair] = updated == 0 ? nil : updated
    }

    /// Counts `pod` (on a node with `labels`) into the state, `multiplier` +1 or -1.
    func update(_ state: inout PreFilterState, incoming: PodInfo, with pod: PodInfo, labels: [String: String], multiplier: Int64) {
        for term in pod.affinityTerms.requiredAntiAffinity
        where term.matches(namespace: incoming.namespace, labels: incoming.labels, namespaceLabels: state.namespaceLabels) {
            Self.update(&state.existingAntiAffinityCounts, labels: labels, key: term.topologyKey, by: multiplier)
            state.existingAntiAffinityKeys.insert(term.topologyKey)
        }
        if selectsAll(state.terms.requiredAffinity, pod) {
            for term in state.terms.requiredAffinity {
                Self.update(&state.affinityCounts, labels: labels, key: term.topologyKey, by: multiplier)
            }
        }
        for term in state.terms.requiredAntiAffinity where incomingTerm(term, selects: pod) {
            Self.update(&state.antiAffinityCounts, labels: labels, key: term.topologyKey, by: multiplier)
        }
    }

    // MARK: PreFilter

    /// Without required terms of its own, only the nodes holding pods with required
    /// anti-affinity matter (the snapshot keeps them), and with none of those the plugin skips
    /// at once, as upstream does.
    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        let terms = pod.affinityTerms
        if let error = terms.parseError { return .unresolvable("parsing pod: \(error)") }
        let hasRequiredTerms = !terms.requiredAffinity.isEmpty || !terms.requiredAntiAffinity.isEmpty
        if !hasRequiredTerms && snapshot.requiredAntiAffinityNodeIndices.isEmpty { return .skip }
        let incomingNamespaceLabels = namespaceLabels?(pod.namespace)
        var prepared = PreFilterState(terms: terms, namespaceLabels: incomingNamespaceLabels)
        let namespace = pod.namespace
        let podLabels = pod.labels
        for index in snapshot.requiredAntiAffinityNodeIndices {
            let node = snapshot.nodes[index]
            guard node.hasNode else { continue }
            let labels = node.labels
            // Terms by index, here and in `countIncoming`: read in place, not copied per pod.
            for existing in node.podsWithRequiredAntiAffinity {
                let terms = existing.affinityTerms.requiredAntiAffinity
                for index in terms.indices
                where terms[index].matches(namespace: namespace, labels: podLabels, namespaceLabels: incomingNamespaceLabels) {
                    Self.update(&prepared.existingAntiAffinityCounts, labels: labels, key: terms[index].topologyKey, by: 1)
                    prepared.existingAntiAffinityKeys.insert(terms[index].topologyKey)
                }
            }
        }
        if hasRequiredTerms {
            countIncoming(&prepared, snapshot: snapshot)
        }
        if prepared.existingAntiAffinityCounts.isEmpty && !hasRequiredTerms { return .skip }
        state.write(Self.preFilterKey, prepared)
        return .success
    }

    /// Counts the placed pods the incoming pod's required terms select, per domain. A term
    /// whose selector requires a label value visits only the pods carrying it (the snapshot's
    /// label index); other terms look at every pod.
    private func countIncoming(_ prepared: inout PreFilterState, snapshot: ClusterSnapshot) {
        let affinity = prepared.terms.requiredAffinity
        if !affinity.isEmpty {
            // A pod counts when every term selects it: the candidates of any one term will do.
            let candidates = affinity.lazy.compactMap { snapshot.podLabels.candidates(for: $0.selector) }.first
            forEachPlacedPod(candidates, snapshot: snapshot) { existing, labels in
                guard selectsAll(affinity, existing) else { return }
                for index in affinity.indices {
                    Self.update(&prepared.affinityCounts, labels: labels, key: affinity[index].topologyKey, by: 1)
                }
            }
        }
        let antiAffinity = prepared.terms.requiredAntiAffinity
        for index in antiAffinity.indices {
            let term = antiAffinity[index]
            forEachPlacedPod(snapshot.podLabels.candidates(for: term.selector), snapshot: snapshot) { existing, labels in
                guard incomingTerm(term, selects: existing) else { return }
                Self.update(&prepared.antiAffinityCounts, labels: labels, key: term.topologyKey, by: 1)
            }
        }
    }

    /// Calls `body` with each of `candidates` on a node of the snapshot, or with every pod of
    /// every node when `candidates` is nil, and the labels of the pod's node.
    private func forEachPlacedPod(_ candidates: [PodLabelIndex.Entry]?, snapshot: ClusterSnapshot,
                                  _ body: (PodInfo, [String: String]) -> Void) {
        guard let candidates else {
            for node in snapshot.nodes where node.podCount > 0 && node.hasNode {
                let labels = node.labels
                for existing in node.pods { body(existing, labels) }
            }
            return
        }
        for candidate in candidates {
            guard let node = snapshot.node(named: candidate.node), node.hasNode else { continue }
            body(candidate.pod, node.labels)
        }
    }

    public func addPod(_ state: CycleState, pod: PodInfo, adding: PodInfo, to node: NodeInfo) -> PluginStatus {
        guard var prepared = state.read(Self.preFilterKey), node.hasNode else { return .success }
        update(&prepared, incoming: pod, with: adding, labels: node.labels, multiplier: 1)
        state.write(Self.preFilterKey, prepared)
        return .success
    }

    public func removePod(_ state: CycleState, pod: PodInfo, removing: PodInfo, from node: NodeInfo) -> PluginStatus {
        guard var prepared = state.read(Self.preFilterKey), node.hasNode else { return .success }
        update(&prepared, incoming: pod, with: removing, labels: node.labels, multiplier: -1)
        state.write(Self.preFilterKey, prepared)
        return .success
    }

    // MARK: Filter

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        guard let prepared = state.read(Self.preFilterKey) else { return .success }
        guard node.hasNode else { return .unresolvable("node not found") }
        let labels = node.labels
        if !satisfiesAffinity(prepared, pod: pod, labels: labels) {
            return .unresolvable(Self.errReasonAffinityRulesNotMatch)
        }
        if !prepared.antiAffinityCounts.isEmpty {
            for term in prepared.terms.requiredAntiAffinity {
                if let value = labels[term.topologyKey],
                   prepared.antiAffinityCounts[TopologyPair(key: term.topologyKey, value: value), default: 0] > 0 {
                    return .unschedulable(Self.errReasonAntiAffinityRulesNotMatch)
                }
            }
        }
        if !prepared.existingAntiAffinityCounts.isEmpty {
            for key in prepared.existingAntiAffinityKeys {
                guard let value = labels[key],
                      prepared.existingAntiAffinityCounts[TopologyPair(key: key, value: value), default: 0] > 0 else { continue }
                return .unschedulable(Self.errReasonExistingAntiAffinityRulesNotMatch)
            }
        }
        return .success
    }

    /// Every required affinity term's topology key is on the node and its domain has a matching
    /// pod; or no pod anywhere matches and the pod matches its own terms (the first of a group).
    func satisfiesAffinity(_ prepared: PreFilterState, pod: PodInfo, labels: [String: String]) -> Bool {
        var podsExist = true
        for term in prepared.terms.requiredAffinity {
            guard let value = labels[term.topologyKey] else { return false }
            if prepared.affinityCounts[TopologyPair(key: term.topologyKey, value: value), default: 0] <= 0 { podsExist = false }
        }
        if podsExist { return true }
        return prepared.affinityCounts.isEmpty && selectsAll(prepared.terms.requiredAffinity, pod)
    }
}
