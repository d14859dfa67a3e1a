import KubeModel

/// Keeps pods off nodes with `NoSchedule`/`NoExecute` taints they do not tolerate, and prefers
/// nodes with fewer untolerated `PreferNoSchedule` taints (upstream `TaintToleration`).
public struct TaintToleration: FilterPlugin, PreScorePlugin, ScorePlugin {
    static let preScoreKey = CycleState.Key<PreScoreState>(.taintTolerationPreScore)

    /// The tolerations that count for scoring (effect `PreferNoSchedule` or any effect).
    struct PreScoreState: Sendable {
        var tolerations: [CoreV1.Toleration]
    }

    public init() {}

    public var name: String { PluginNames.taintToleration }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        let taints = node.taints
        if taints.isEmpty { return .success }
        let tolerations = pod.pod.spec.tolerations ?? []
        guard let taint = firstUntoleratedTaint(taints, tolerations, where: isDoNotScheduleTaint) else { return .success }
        return .unresolvable("node(s) had untolerated taint {\(taint.key): \(taint.value ?? "")}")
    }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> PluginStatus {
        let tolerations = (pod.pod.spec.tolerations ?? []).filter {
            let effect = $0.effect ?? ""
            return effect.isEmpty || effect == WellKnown.preferNoSchedule
        }
        state.write(Self.preScoreKey, PreScoreState(tolerations: tolerations))
        return .success
    }

    /// The number of `PreferNoSchedule` taints on the node the pod does not tolerate.
    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        let taints = node.taints
        if taints.isEmpty { return 0 }
        let tolerations = state.read(Self.preScoreKey)?.tolerations
            ?? (pod.pod.spec.tolerations ?? [])
        var count: Int64 = 0
        for taint in taints where taint.effect == WellKnown.preferNoSchedule {
            if !tolerations.contains(where: { $0.tolerates(taint) }) { count += 1 }
        }
        return count
    }

    public func normalize(_ state: CycleState, pod: PodInfo, scores: inout [Int64]) {
        scores.normalizeToMaxScore(reverse: true)
    }
}
