import KubeModel

/// The taints the node lifecycle controller manages (upstream's `NotReadyTaintTemplate`,
/// `UnreachableTaintTemplate` and the condition → NoSchedule taint map).
public enum NodeTaints {
    public static let notReady = "node.kubernetes.io/not-ready"
    public static let unreachable = "node.kubernetes.io/unreachable"
    public static let unschedulable = "node.kubernetes.io/unschedulable"
    public static let memoryPressure = "node.kubernetes.io/memory-pressure"
    public static let diskPressure = "node.kubernetes.io/disk-pressure"
    public static let networkUnavailable = "node.kubernetes.io/network-unavailable"
    public static let pidPressure = "node.kubernetes.io/pid-pressure"
    public static let noExecute = "NoExecute"
    public static let noSchedule = "NoSchedule"

    /// Condition type → condition status → NoSchedule taint key.
    static let conditionTaints: [String: [String: String]] = [
        "Ready": ["False": notReady, "Unknown": unreachable],
        "MemoryPressure": ["True": memoryPressure],
        "DiskPressure": ["True": diskPressure],
        "NetworkUnavailable": ["True": networkUnavailable],
        "PIDPressure": ["True": pidPressure],
    ]

    /// Every key the NoSchedule pass owns.
    static let noScheduleKeys: Set<String> = Set(conditionTaints.values.flatMap(\.values)).union([unschedulable])

    /// The NoSchedule taint keys `node`'s conditions and `spec.unschedulable` call for.
    static func wantedNoScheduleKeys(_ node: CoreV1.Node) -> Set<String> {
        var keys: Set<String> = []
        for condition in node.status.conditions ?? [] {
            if let key = conditionTaints[condition.type]?[condition.status] { keys.insert(key) }
        }
        if node.spec.unschedulable == true { keys.insert(unschedulable) }
        return keys
    }

    /// The NoSchedule taints the controller manages (upstream's `taintKeyToNodeConditionMap` keys
    /// and `unschedulable`) that `node` carries.
    static func managedNoScheduleTaints(_ node: CoreV1.Node) -> [CoreV1.Taint] {
        (node.spec.taints ?? []).filter { $0.effect == noSchedule_ && noScheduleKeys.contains($0.key) }
    }

    /// upstream's `SwapNodeControllerTaint` on a taint list: `removing` (matched by key and
    /// effect) taken out, `adding` put in with `timeAdded` `now` (replacing a taint of the same
    /// key and effect unless it is the very same).
    static func swapped(_ taints: [CoreV1.Taint], adding: [CoreV1.Taint], removing: [CoreV1.Taint],
                        now: MetaV1.Time) -> [CoreV1.Taint] {
        var result = taints
        for var taint in adding {
            taint.timeAdded = now
            if let index = result.firstIndex(where: { $0.key == taint.key && $0.effect == taint.effect }) {
                if result[index] != taint { result[index] = taint }
            } else {
                result.append(taint)
            }
        }
        result.removeAll { taint in removing.contains { $0.key == taint.key && $0.effect == taint.effect } }
        return result
    }

    /// upstream's `NotReadyTaintTemplate` and `UnreachableTaintTemplate`.
    static let notReadyNoExecute = CoreV1.Taint(effect: noExecute_, key: notReady)
    static let unreachableNoExecute = CoreV1.Taint(effect: noExecute_, key: unreachable)

    static func has(_ taint: CoreV1.Taint, on node: CoreV1.Node) -> Bool {
        (node.spec.taints ?? []).contains { $0.key == taint.key && $0.effect == taint.effect }
    }

    private static let noSchedule_ = "NoSchedule"
    private static let noExecute_ = "NoExecute"
}
