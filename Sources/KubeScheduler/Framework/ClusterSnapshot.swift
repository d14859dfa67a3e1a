/// The nodes (with their pods) one scheduling cycle sees, fixed for the cycle.
public struct ClusterSnapshot: Sendable {
    public let nodes: [NodeInfo]
    private let indexByName: [String: Int]

    public init(nodes: [NodeInfo]) {
        self.nodes = nodes
        var index: [String: Int] = [:]
        index.reserveCapacity(nodes.count)
        for (position, node) in nodes.enumerated() { index[node.name] = position }
        indexByName = index
    }

    init(nodes: [NodeInfo], indexByName: [String: Int]) {
        self.nodes = nodes
        self.indexByName = indexByName
    }

    public func node(named name: String) -> NodeInfo? {
        indexByName[name].map { nodes[$0] }
    }

    /// Nodes with at least one pod that has affinity terms.
    public var nodesWithAffinityPods: [NodeInfo] { nodes.filter { !$0.podsWithAffinity.isEmpty } }

    /// Nodes with at least one pod that has required anti-affinity terms.
    public var nodesWithRequiredAntiAffinityPods: [NodeInfo] {
        nodes.filter { !$0.podsWithRequiredAntiAffinity.isEmpty }
    }
}
