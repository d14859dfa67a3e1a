/// A node chosen for a pod.
public struct ScheduleResult: Sendable, Equatable {
    public var nodeName: String
    /// Nodes the filters ran on.
    public var evaluatedNodes: Int
    /// Nodes that passed them.
    public var feasibleNodes: Int
}

extension SchedulingFramework {
    /// Picks a node for the pod (upstream's `schedulePod`): PreFilter, then Filter from
    /// `startIndex` round the node list until enough feasible nodes are found, then Score, and
    /// the highest total wins (ties broken at random). `startIndex` advances past the nodes
    /// looked at, so successive pods spread their search over the cluster.
    public func schedule<G: RandomNumberGenerator>(
        _ pod: PodInfo, snapshot: ClusterSnapshot, state: CycleState, startIndex: inout Int, random: inout G
    ) -> Result<ScheduleResult, FitError> {
        schedule(pod, snapshot: snapshot, state: state, startIndex: &startIndex, random: &random, nominator: Nominator())
    }

    /// ``schedule(_:snapshot:state:startIndex:random:)`` with the pods nominated to nodes.
    /// Pods nominated to a node with at least this pod's priority count there (see
    /// ``runFilters(_:_:pod:node:nominated:)``), and a pod nominated to a node (after its
    /// preemption) tries that node first, alone, as upstream's `evaluateNominatedNode` does.
    func schedule<G: RandomNumberGenerator>(
        _ pod: PodInfo, snapshot: ClusterSnapshot, state: CycleState, startIndex: inout Int, random: inout G,
        nominator: Nominator
    ) -> Result<ScheduleResult, FitError> {
        let nodes = snapshot.nodes
        guard !nodes.isEmpty else { return .failure(FitError(podKey: pod.key, nodeCount: 0)) }
        let preFilter = runPreFilter(state, pod: pod, snapshot: snapshot)
        if !preFilter.isSuccess {
            let plugins: Set<String> = preFilter.plugin.map { [$0] } ?? []
            return .failure(FitError(
                podKey: pod.key, nodeCount: nodes.count,
                nodeStatuses: Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, preFilter) }),
                preFilterMessage: preFilter.reasons.joined(separator: ", "), unschedulablePlugins: plugins))
        }
        let filters = activeFilters(state)
        if let nominated = pod.pod.status.nominatedNodeName, !nominated.isEmpty, let node = snapshot.node(named: nominated),
           runFilters(filters, state, pod: pod, node: node, nominated: nominator).isSuccess {
            return .success(ScheduleResult(nodeName: node.name, evaluatedNodes: 1, feasibleNodes: 1))
        }
        let wanted = Self.feasibleNodesToFind(nodeCount: nodes.count, percentage: profile.percentageOfNodesToScore)
        var feasible: [NodeInfo] = []
        feasible.reserveCapacity(min(wanted, nodes.count))
        var rejected: [String: PluginStatus] = [:]
        var examined = 0
        let start = startIndex % nodes.count
        while examined < nodes.count && feasible.count < wanted {
            let node = nodes[(start + examined) % nodes.count]
            examined += 1
            let status = nominator.isEmpty
                ? runFilters(filters, state, pod: pod, node: node)
                : runFilters(filters, state, pod: pod, node: node, nominated: nominator)
            if status.isSuccess {
                feasible.append(node)
            } else {
                rejected[node.name] = status
            }
        }
        startIndex = (start + examined) % nodes.count
        guard !feasible.isEmpty else {
            return .failure(FitError(
                podKey: pod.key, nodeCount: nodes.count, nodeStatuses: rejected,
                unschedulablePlugins: Set(rejected.values.compactMap(\.plugin))))
        }
        if feasible.count == 1 {
            return .success(ScheduleResult(nodeName: feasible[0].name, evaluatedNodes: examined, feasibleNodes: 1))
        }
        let totals = score(state, pod: pod, nodes: feasible, snapshot: snapshot)
        var best = 0
        var ties = 1
        for index in 1..<totals.count {
            if totals[index] > totals[best] {
                best = index
                ties = 1
            } else if totals[index] == totals[best] {
                ties += 1
                if Int.random(in: 0..<ties, using: &random) == 0 { best = index }
            }
        }
        return .success(ScheduleResult(nodeName: feasible[best].name, evaluatedNodes: examined, feasibleNodes: feasible.count))
    }

    /// The Filter plugins with the pods nominated to `node` counted (upstream's
    /// `RunFilterPluginsWithNominatedPods`): with those of at least the pod's priority added
    /// to the node and to the PreFilter state first; if that passes, again without them, since
    /// a filter such as pod affinity may pass only thanks to a nominated pod that is not there
    /// yet. Without such pods, one plain pass.
    func runFilters(_ plugins: [any FilterPlugin], _ state: CycleState, pod: PodInfo, node: NodeInfo,
                    nominated nominator: Nominator) -> PluginStatus {
        let respected = nominator.podsToRespect(on: node.name, by: pod)
        guard !respected.isEmpty else { return runFilters(plugins, state, pod: pod, node: node) }
        let withNominated = state.clone()
        var nodeWithNominated = node
        for nominated in respected {
            nodeWithNominated.add(nominated)
            let status = runPreFilterAddPod(withNominated, pod: pod, adding: nominated, to: nodeWithNominated)
            if !status.isSuccess { return status }
        }
        let status = runFilters(plugins, withNominated, pod: pod, node: nodeWithNominated)
        guard status.isSuccess else { return status }
        return runFilters(plugins, state, pod: pod, node: node)
    }
}
