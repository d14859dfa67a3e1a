import Foundation
import KubeModel

/// PodTopologySpread's scoring of `ScheduleAnyway` constraints: fewer matching pods in the
/// node's domains score better, each constraint weighted by the log of its domain count.
extension PodTopologySpread {
    struct PreScoreState: Sendable {
        var constraints: [Constraint]
        /// Feasible nodes lacking a topology key: they score 0.
        var ignoredNodes: Set<String>
        /// The same by position in the scored node list (for normalisation).
        var ignoredPositions: [Bool]
        /// Per constraint: domain → matching pods (not used for the hostname key, counted per node).
        var counts: [[String: Int64]]
        var weights: [Double]
    }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> PluginStatus {
        if nodes.isEmpty || snapshot.nodes.isEmpty { return .skip }
        let constraints: [Constraint]
        do { constraints = try Self.constraints(of: pod.pod, action: "ScheduleAnyway") } catch {
            return .error(error.message)
        }
        if constraints.isEmpty { return .skip }
        var ignored: Set<String> = []
        var ignoredPositions = [Bool](repeating: false, count: nodes.count)
        var counts = [[String: Int64]](repeating: [:], count: constraints.count)
        for (position, node) in nodes.enumerated() {
            let labels = node.labels
            guard Self.nodeHasAllKeys(labels, constraints) else {
                ignored.insert(node.name)
                ignoredPositions[position] = true
                continue
            }
            for (index, constraint) in constraints.enumerated() where constraint.topologyKey != WellKnown.hostnameLabel {
                counts[index][labels[constraint.topologyKey]!] = 0
            }
        }
        let weights = constraints.indices.map { index in
            let size = constraints[index].topologyKey == WellKnown.hostnameLabel
                ? nodes.count - ignored.count : counts[index].count
            return log(Double(size + 2))
        }
        let affinity = RequiredNodeAffinity(pod.pod)
        let tolerations = pod.pod.spec.tolerations ?? []
        if constraints.contains(where: { $0.topologyKey != WellKnown.hostnameLabel }) {
            for node in snapshot.nodes {
                guard node.hasNode else { continue }
                let labels = node.labels
                if !Self.nodeHasAllKeys(labels, constraints) { continue }
                for (index, constraint) in constraints.enumerated() where constraint.topologyKey != WellKnown.hostnameLabel {
                    let value = labels[constraint.topologyKey]!
                    guard counts[index][value] != nil,
                          constraint.includes(node, affinity: affinity, tolerations: tolerations) else { continue }
                    counts[index][value]! += Int64(Self.countMatching(node.pods, constraint.selector, namespace: pod.namespace))
                }
            }
        }
        state.write(Self.preScoreKey, PreScoreState(constraints: constraints, ignoredNodes: ignored,
                                                    ignoredPositions: ignoredPositions, counts: counts, weights: weights))
        return .success
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        guard let prepared = state.read(Self.preScoreKey),
              !prepared.ignoredNodes.contains(node.name) else { return 0 }
        let labels = node.labels
        var total = 0.0
        for (index, constraint) in prepared.constraints.enumerated() {
            guard let value = labels[constraint.topologyKey] else { continue }
            let count = constraint.topologyKey == WellKnown.hostnameLabel
                ? Int64(Self.countMatching(node.pods, constraint.selector, namespace: pod.namespace))
                : prepared.counts[index][value] ?? 0
            total += Double(count) * prepared.weights[index] + Double(constraint.maxSkew - 1)
        }
        return Int64(total.rounded())
    }

    /// Fewer matching pods is better: `100 * (max + min - score) / max`; ignored nodes get 0.
    public func normalize(_ state: CycleState, pod: PodInfo, scores: inout [Int64]) {
        guard let prepared = state.read(Self.preScoreKey) else { return }
        func ignored(_ index: Int) -> Bool { index < prepared.ignoredPositions.count && prepared.ignoredPositions[index] }
        var lowest = Int64.max
        var highest: Int64 = 0
        for index in scores.indices where !ignored(index) {
            lowest = min(lowest, scores[index])
            highest = max(highest, scores[index])
        }
        for index in scores.indices {
            if ignored(index) {
                scores[index] = 0
            } else if highest == 0 {
                scores[index] = maxNodeScore
            } else {
                scores[index] = maxNodeScore * (highest + lowest - scores[index]) / highest
            }
        }
    }
}
