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

    /// The NoExecute taint key a Ready condition status calls for (nil: none).
    static func wantedNoExecuteKey(readyStatus: String) -> String? {
        switch readyStatus {
        case "False": notReady
        case "Unknown": unreachable
        default: nil
        }
    }

    /// `taints` with the controller's NoSchedule and NoExecute taints made to match the wanted
    /// keys; taints that stay keep their `timeAdded`, new ones get `now`.
    static func reconciled(_ taints: [CoreV1.Taint], noSchedule: Set<String>, noExecute: Set<String>,
                           now: MetaV1.Time) -> [CoreV1.Taint] {
        var result = taints.filter { taint in
            if taint.effect == noSchedule_ && noScheduleKeys.contains(taint.key) { return noSchedule.contains(taint.key) }
            if taint.effect == noExecute_ && [notReady, unreachable].contains(taint.key) { return noExecute.contains(taint.key) }
            return true
        }
        for key in noSchedule.sorted() where !result.contains(where: { $0.key == key && $0.effect == noSchedule_ }) {
            result.append(CoreV1.Taint(effect: noSchedule_, key: key, timeAdded: now))
        }
        for key in noExecute.sorted() where !result.contains(where: { $0.key == key && $0.effect == noExecute_ }) {
            result.append(CoreV1.Taint(effect: noExecute_, key: key, timeAdded: now))
        }
        return result
    }

    private static let noSchedule_ = "NoSchedule"
    private static let noExecute_ = "NoExecute"
}
