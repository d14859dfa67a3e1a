import KubeModel

/// Runs one profile's plugins over a snapshot (upstream's `frameworkImpl` plus
/// `schedulePod`): PreFilter, Filter on enough nodes, PreScore, Score with weights, and picks
/// the best node.
public struct SchedulingFramework: Sendable {
    public let profile: SchedulerProfile

    public init(profile: SchedulerProfile) {
        self.profile = profile
    }

    /// Every PreFilter in order; the first non-success (other than skip) stops the cycle.
    /// Plugins that answered skip are recorded so their Filter is skipped too.
    public func runPreFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        var skipped: Set<String> = []
        for plugin in profile.preFilter {
            var status = plugin.preFilter(state, pod: pod, snapshot: snapshot)
            switch status.code {
            case .success: continue
            case .skip: skipped.insert(plugin.name)
            default:
                status.plugin = plugin.name
                return status
            }
        }
        state.write(Self.skippedFiltersKey, skipped)
        return .success
    }

    /// Every Filter in order on one node; the first rejection wins.
    public func runFilters(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        runFilters(activeFilters(state), state, pod: pod, node: node)
    }

    /// The Filter plugins whose PreFilter did not answer skip (looked up once per cycle, not per node).
    func activeFilters(_ state: CycleState) -> [any FilterPlugin] {
        guard let skipped = state.read(Self.skippedFiltersKey), !skipped.isEmpty else {
            return profile.filter
        }
        return profile.filter.filter { !skipped.contains($0.name) }
    }

    func runFilters(_ plugins: [any FilterPlugin], _ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        // By index: calls the plugin in place instead of copying the existential out first.
        for index in plugins.indices {
            var status = plugins[index].filter(state, pod: pod, node: node)
            if status.code != .success && status.code != .skip {
                status.plugin = plugins[index].name
                return status
            }
        }
        return .success
    }

    /// Tells every PreFilter extension that `adding` now counts on `node` (preemption).
    public func runPreFilterAddPod(_ state: CycleState, pod: PodInfo, adding: PodInfo, to node: NodeInfo) -> PluginStatus {
        for case let plugin as any PreFilterExtensions in profile.preFilter {
            let status = plugin.addPod(state, pod: pod, adding: adding, to: node)
            if !status.isSuccess { return status }
        }
        return .success
    }

    /// Tells every PreFilter extension that `removing` no longer counts on `node` (preemption).
    public func runPreFilterRemovePod(_ state: CycleState, pod: PodInfo, removing: PodInfo, from node: NodeInfo) -> PluginStatus {
        for case let plugin as any PreFilterExtensions in profile.preFilter {
            let status = plugin.removePod(state, pod: pod, removing: removing, from: node)
            if !status.isSuccess { return status }
        }
        return .success
    }

    /// How many feasible nodes to find before scoring (upstream's `numFeasibleNodesToFind`):
    /// all of them below 100 nodes; otherwise a percentage that shrinks with cluster size
    /// (50% − nodes/125, at least 5%), never fewer than 100.
    public static func feasibleNodesToFind(nodeCount: Int, percentage: Int) -> Int {
        let minimumNodes = 100
        if nodeCount < minimumNodes || percentage >= 100 { return nodeCount }
        var adaptive = percentage
        if adaptive <= 0 {
            adaptive = 50 - nodeCount / 125
            if adaptive < 5 { adaptive = 5 }
        }
        let count = nodeCount * adaptive / 100
        return max(count, minimumNodes)
    }

    /// Runs every Score plugin on the feasible nodes and sums the weighted, normalised scores.
    public func score(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> [Int64] {
        var totals = [Int64](repeating: 0, count: nodes.count)
        var skipped: Set<String> = []
        for plugin in profile.preScore {
            let status = plugin.preScore(state, pod: pod, nodes: nodes, snapshot: snapshot)
            if status.code == .skip { skipped.insert(plugin.name) }
        }
        // One buffer for every plugin's scores, refilled in place.
        var scores = [Int64](repeating: 0, count: nodes.count)
        for weighted in profile.score where !skipped.contains(weighted.plugin.name) {
            let plugin = weighted.plugin
            for index in nodes.indices { scores[index] = plugin.score(state, pod: pod, node: nodes[index]) }
            plugin.normalize(state, pod: pod, scores: &scores)
            for index in scores.indices { totals[index] += scores[index] * weighted.weight }
        }
        return totals
    }

    static let skippedFiltersKey = CycleState.Key<Set<String>>(.skippedFilters)
}
