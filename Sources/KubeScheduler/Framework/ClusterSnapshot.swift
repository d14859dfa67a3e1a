import KubeModel

/// The nodes (with their pods) one scheduling cycle sees, fixed for the cycle.
public struct ClusterSnapshot: Sendable {
    public let nodes: [NodeInfo]
    private let indexByName: [String: Int]
    /// Positions in `nodes` of nodes with pods that have affinity terms (kept by the cache).
    let affinityNodeIndices: Set<Int>
    /// Positions in `nodes` of nodes with pods that have required anti-affinity terms.
    let requiredAntiAffinityNodeIndices: Set<Int>
    /// The nodes' pods by label.
    public let podLabels: PodLabelIndex
    /// The cluster's PodDisruptionBudgets, filled in for preemption only (upstream's PDB
    /// lister): victims whose eviction would break a budget are spared first.
    public var disruptionBudgets: [PolicyV1.PodDisruptionBudget] = []
    /// Pending pods nominated to nodes, filled in for preemption: the victim search leaves their
    /// room as the scheduling cycle does.
    var nominator = Nominator()
    /// Claims, volumes and storage classes (the scheduler's informers; empty by default).
    public var volumes: any VolumeCatalog = InMemoryVolumeCatalog()

    public init(nodes: [NodeInfo]) {
        self.nodes = nodes
        var index: [String: Int] = [:]
        index.reserveCapacity(nodes.count)
        var affinity: Set<Int> = []
        var antiAffinity: Set<Int> = []
        for (position, node) in nodes.enumerated() {
            index[node.name] = position
            if !node.podsWithAffinity.isEmpty { affinity.insert(position) }
            if !node.podsWithRequiredAntiAffinity.isEmpty { antiAffinity.insert(position) }
        }
        indexByName = index
        affinityNodeIndices = affinity
        requiredAntiAffinityNodeIndices = antiAffinity
        podLabels = PodLabelIndex(nodes: nodes)
    }

    init(nodes: [NodeInfo], indexByName: [String: Int], affinityNodeIndices: Set<Int>, requiredAntiAffinityNodeIndices: Set<Int>,
         podLabels: PodLabelIndex) {
        self.nodes = nodes
        self.indexByName = indexByName
        self.affinityNodeIndices = affinityNodeIndices
        self.requiredAntiAffinityNodeIndices = requiredAntiAffinityNodeIndices
        self.podLabels = podLabels
    }

    public func node(named name: String) -> NodeInfo? {
        indexByName[name].map { nodes[$0] }
    }

    /// Nodes with at least one pod that has affinity terms, in the order of `nodes`.
    public var nodesWithAffinityPods: [NodeInfo] { affinityNodeIndices.sorted().map { nodes[$0] } }

    /// Nodes with at least one pod that has required anti-affinity terms, in the order of `nodes`.
    public var nodesWithRequiredAntiAffinityPods: [NodeInfo] {
        requiredAntiAffinityNodeIndices.sorted().map { nodes[$0] }
    }
}
