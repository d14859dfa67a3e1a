import KubeModel

/// Taint/toleration matching (upstream's `Toleration.ToleratesTaint`,
/// `GetMatchingTolerations`, and the taint eviction controller's `getMinTolerationTime`).
public enum TaintToleration {
    /// Whether `toleration` tolerates `taint`.
    public static func tolerates(_ toleration: CoreV1.Toleration, _ taint: CoreV1.Taint) -> Bool {
        if let effect = toleration.effect, !effect.isEmpty, effect != taint.effect { return false }
        let key = toleration.key ?? ""
        if !key.isEmpty, key != taint.key { return false }
        switch toleration.operator ?? "" {
        case "Exists": return true
        case "", "Equal": return !key.isEmpty && (toleration.value ?? "") == (taint.value ?? "")
        default: return false
        }
    }

    /// Whether every taint is tolerated, and the first toleration that tolerates each one.
    public static func matching(taints: [CoreV1.Taint], tolerations: [CoreV1.Toleration]) -> (all: Bool, used: [CoreV1.Toleration]) {
        var used: [CoreV1.Toleration] = []
        for taint in taints {
            guard let toleration = tolerations.first(where: { tolerates($0, taint) }) else { return (false, []) }
            used.append(toleration)
        }
        return (true, used)
    }

    /// The shortest `tolerationSeconds` of `tolerations`: 0 when there are none or one is ≤ 0,
    /// nil when none has a limit (tolerated for ever).
    public static func minimumTolerationSeconds(_ tolerations: [CoreV1.Toleration]) -> Int64? {
        if tolerations.isEmpty { return 0 }
        var minimum: Int64?
        for seconds in tolerations.compactMap(\.tolerationSeconds) {
            if seconds <= 0 { return 0 }
            minimum = min(minimum ?? seconds, seconds)
        }
        return minimum
    }
}
