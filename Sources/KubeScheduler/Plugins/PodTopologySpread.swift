import KubeModel

/// Pod topology spread constraints (upstream `PodTopologySpread`): `DoNotSchedule`
/// constraints filter (skew of matching pods across domains at most `maxSkew`, honouring
/// `minDomains`, `nodeAffinityPolicy` (default Honor), `nodeTaintsPolicy` (default Ignore) and
/// `matchLabelKeys`); `ScheduleAnyway` constraints score (`PodTopologySpread+Score.swift`).
///
/// Not covered: the cluster-level default constraints upstream derives from the Services,
/// ReplicaSets and StatefulSets selecting the pod (pods without constraints are skipped).
public struct PodTopologySpread: PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static let errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints"
    public static let errReasonNodeLabelNotMatch = errReasonConstraintsNotMatch + " (missing required label)"

    static let preFilterKey = CycleState.Key<PreFilterState>(.podTopologySpreadPreFilter)
    static let preScoreKey = CycleState.Key<PreScoreState>(.podTopologySpreadPreScore)

    public init() {}

    public var name: String { PluginNames.podTopologySpread }

    /// A constraint with its selector parsed and its defaults applied.
    struct Constraint: Sendable {
        var maxSkew: Int32
        var topologyKey: String
        var selector: Labels.Selector
        var minDomains: Int32
        var honorNodeAffinity: Bool
        var honorNodeTaints: Bool

        /// Whether the node counts for this constraint under its node inclusion policies.
        func includes(_ nodeInfo: NodeInfo, affinity: RequiredNodeAffinity, tolerations: [CoreV1.Toleration]) -> Bool {
            if honorNodeAffinity && !affinity.matches(nodeInfo) { return false }
            if honorNodeTaints, firstUntoleratedTaint(nodeInfo.taints, tolerations, where: isDoNotScheduleTaint) != nil {
                return false
            }
            return true
        }
    }

    /// The pod's constraints with `whenUnsatisfiable == action`; `matchLabelKeys` values from
    /// the pod's labels are added to the selector (a no-op when the API server merged them).
    static func constraints(of pod: CoreV1.Pod, action: String) throws(Labels.SelectorError) -> [Constraint] {
        var result: [Constraint] = []
        let podLabels = pod.metadata.labels ?? [:]
        for constraint in pod.spec.topologySpreadConstraints ?? [] where constraint.whenUnsatisfiable == action {
            var selector = try Labels.Selector(constraint.labelSelector)
            var extra: [Labels.Requirement] = []
            for key in constraint.matchLabelKeys ?? [] {
                guard let value = podLabels[key] else { continue }
                extra.append(try Labels.Requirement(key: key, operator: .equals, values: [value]))
            }
            if !extra.isEmpty { selector = selector.adding(extra) }
            result.append(Constraint(maxSkew: constraint.maxSkew, topologyKey: constraint.topologyKey, selector: selector,
                                     minDomains: constraint.minDomains ?? 1,
                                     honorNodeAffinity: (constraint.nodeAffinityPolicy ?? "Honor") == "Honor",
                                     honorNodeTaints: (constraint.nodeTaintsPolicy ?? "Ignore") == "Honor"))
        }
        return result
    }

    static func nodeHasAllKeys(_ labels: [String: String], _ constraints: [Constraint]) -> Bool {
        constraints.allSatisfy { labels[$0.topologyKey] != nil }
    }

    /// Pods in `namespace`, not terminating, matching `selector` (none for an empty selector).
    static func countMatching(_ pods: [PodInfo], _ selector: Labels.Selector, namespace: String) -> Int {
        if selector.isEmpty { return 0 }
        var count = 0
        for pod in pods where pod.pod.metadata.deletionTimestamp == nil && pod.namespace == namespace {
            if selector.matches(pod.labels) { count += 1 }
        }
        return count
    }

    /// The two domains with the fewest matching pods (upstream `criticalPaths`), kept as counts change.
    struct CriticalPaths: Sendable {
        var first = (value: "", count: Int.max)
        var second = (value: "", count: Int.max)

        mutating func update(_ value: String, _ count: Int) {
            if value == first.value || value == second.value {
                if value == first.value { first.count = count } else { second.count = count }
                if first.count > second.count { swap(&first, &second) }
            } else if count < first.count {
                second = first
                first = (value, count)
            } else if count < second.count {
                second = (value, count)
            }
        }
    }

    struct PreFilterState: Sendable {
        var constraints: [Constraint]
        /// Per constraint: domain → matching pods, for every eligible domain.
        var counts: [[String: Int]]
        var paths: [CriticalPaths]
        var affinity: RequiredNodeAffinity
        var tolerations: [CoreV1.Toleration]

        func minimum(_ index: Int) -> Int {
            // Fewer eligible domains than minDomains: the global minimum counts as 0.
            counts[index].count < Int(constraints[index].minDomains) ? 0 : paths[index].first.count
        }
    }

    // MARK: PreFilter and Filter

    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        let constraints: [Constraint]
        do { constraints = try Self.constraints(of: pod.pod, action: "DoNotSchedule") } catch {
            return .error(error.message)
        }
        if constraints.isEmpty { return .skip }
        let affinity = RequiredNodeAffinity(pod.pod)
        let tolerations = pod.pod.spec.tolerations ?? []
        var counts = [[String: Int]](repeating: [:], count: constraints.count)
        for node in snapshot.nodes {
            guard node.hasNode else { continue }
            let labels = node.labels
            if !Self.nodeHasAllKeys(labels, constraints) { continue }
            for (index, constraint) in constraints.enumerated()
            where constraint.includes(node, affinity: affinity, tolerations: tolerations) {
                let matching = Self.countMatching(node.pods, constraint.selector, namespace: pod.namespace)
                counts[index][labels[constraint.topologyKey]!, default: 0] += matching
            }
        }
        var paths = [CriticalPaths](repeating: CriticalPaths(), count: constraints.count)
        for index in constraints.indices {
            for (value, count) in counts[index] { paths[index].update(value, count) }
        }
        state.write(Self.preFilterKey, PreFilterState(constraints: constraints, counts: counts, paths: paths,
                                                      affinity: affinity, tolerations: tolerations))
        return .success
    }

    public func addPod(_ state: CycleState, pod: PodInfo, adding: PodInfo, to node: NodeInfo) -> PluginStatus {
        update(state, pod: pod, changed: adding, node: node, delta: 1)
    }

    public func removePod(_ state: CycleState, pod: PodInfo, removing: PodInfo, from node: NodeInfo) -> PluginStatus {
        update(state, pod: pod, changed: removing, node: node, delta: -1)
    }

    func update(_ state: CycleState, pod: PodInfo, changed: PodInfo, node: NodeInfo, delta: Int) -> PluginStatus {
        guard var prepared = state.read(Self.preFilterKey),
              changed.namespace == pod.namespace, node.hasNode else { return .success }
        let labels = node.labels
        guard Self.nodeHasAllKeys(labels, prepared.constraints) else { return .success }
        for (index, constraint) in prepared.constraints.enumerated() where constraint.selector.matches(changed.labels) {
            guard constraint.includes(node, affinity: prepared.affinity, tolerations: prepared.tolerations) else { continue }
            let value = labels[constraint.topologyKey]!
            let count = prepared.counts[index][value, default: 0] + delta
            prepared.counts[index][value] = count
            prepared.paths[index].update(value, count)
        }
        state.write(Self.preFilterKey, prepared)
        return .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        guard let prepared = state.read(Self.preFilterKey), !prepared.constraints.isEmpty else {
            return .success
        }
        guard node.hasNode else { return .unresolvable("node not found") }
        let labels = node.labels
        let podLabels = pod.labels
        for (index, constraint) in prepared.constraints.enumerated() {
            guard let value = labels[constraint.topologyKey] else { return .unresolvable(Self.errReasonNodeLabelNotMatch) }
            let selfMatch = constraint.selector.matches(podLabels) ? 1 : 0
            let matching = prepared.counts[index][value] ?? 0
            if matching + selfMatch - prepared.minimum(index) > Int(constraint.maxSkew) {
                return .unschedulable(Self.errReasonConstraintsNotMatch)
            }
        }
        return .success
    }
}
