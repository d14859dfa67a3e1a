import KubeModel

/// Prefers nodes whose cpu and memory would be used in equal fractions with the pod placed
/// (upstream `NodeResourcesBalancedAllocation`, resources cpu and memory). Counts actual
/// requests, not the non-zero defaults, and skips pods that request neither.
public struct NodeResourcesBalancedAllocation: PreScorePlugin, ScorePlugin {
    public init() {}

    public var name: String { PluginNames.nodeResourcesBalancedAllocation }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> PluginStatus {
        pod.requests.milliCPU == 0 && pod.requests.memory == 0 ? .skip : .success
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        let request = pod.requests
        if request.milliCPU == 0 && request.memory == 0 { return 0 }
        let allocatable = node.allocatableCounts
        let used = node.requestedCounts
        func fraction(_ wanted: Int64, _ capacity: Int64) -> Double? {
            capacity == 0 ? nil : min(Double(wanted) / Double(capacity), 1)
        }
        // With two resources the standard deviation is half their difference; with fewer it is 0.
        guard let cpu = fraction(used.milliCPU + request.milliCPU, allocatable.milliCPU),
              let memory = fraction(used.memory + request.memory, allocatable.memory) else { return maxNodeScore }
        let deviation = abs(cpu - memory) / 2
        return Int64((1 - deviation) * Double(maxNodeScore))
    }
}
