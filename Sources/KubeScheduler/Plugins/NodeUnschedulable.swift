import KubeModel

/// Keeps pods off cordoned nodes (`spec.unschedulable`) unless they tolerate the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint (upstream `NodeUnschedulable`).
public struct NodeUnschedulable: FilterPlugin {
    public static let errReasonUnknownCondition = "node(s) had unknown conditions"
    public static let errReasonUnschedulable = "node(s) were unschedulable"

    private static let taint = CoreV1.Taint(effect: WellKnown.noSchedule, key: WellKnown.unschedulableTaint)

    public init() {}

    public var name: String { PluginNames.nodeUnschedulable }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        guard node.hasNode else { return .unresolvable(Self.errReasonUnknownCondition) }
        guard node.unschedulable else { return .success }
        let tolerated = (pod.pod.spec.tolerations ?? []).contains { $0.tolerates(Self.taint) }
        return tolerated ? .success : .unresolvable(Self.errReasonUnschedulable)
    }
}
