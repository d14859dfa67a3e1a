import KubeModel

/// Keeps a pod that names its node (`spec.nodeName`) off every other node (upstream `NodeName`).
public struct NodeName: FilterPlugin {
    public static let errReason = "node(s) didn't match the requested node name"

    public init() {}

    public var name: String { PluginNames.nodeName }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        let wanted = pod.nodeName
        if wanted.isEmpty || wanted == node.name { return .success }
        return .unresolvable(Self.errReason)
    }
}
