import KubeModel

/// Rejects nodes where a host port the pod asks for is already taken (upstream `NodePorts`).
/// PreFilter skips pods that ask for no host port.
public struct NodePorts: PreFilterPlugin, FilterPlugin {
    public static let errReason = "node(s) didn't have free ports for the requested pod ports"

    public init() {}

    public var name: String { PluginNames.nodePorts }

    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        pod.hostPorts.isEmpty ? .skip : .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        Self.fits(pod.hostPorts, node: node) ? .success : .unschedulable(Self.errReason)
    }

    /// Whether none of `wanted` conflicts with a port already used on the node.
    public static func fits(_ wanted: [HostPort], node: NodeInfo) -> Bool {
        if wanted.isEmpty || node.usedPorts.isEmpty { return true }
        for port in wanted where node.usedPorts.contains(where: { $0.conflicts(with: port) }) { return false }
        return true
    }
}
