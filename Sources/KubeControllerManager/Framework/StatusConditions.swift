import KubeModel

/// meta/v1 `Condition` lists as upstream's `apimeta.SetStatusCondition` keeps them: one entry
/// per type; `lastTransitionTime` moves only when the status changes.
public enum StatusConditions {
    /// Sets `condition` in `conditions`, keeping the transition time unless the status changed.
    public static func set(_ conditions: inout [MetaV1.Condition], _ condition: MetaV1.Condition, now: MetaV1.Time = .now()) {
        guard let index = conditions.firstIndex(where: { $0.type == condition.type }) else {
            var added = condition
            if added.lastTransitionTime == nil { added.lastTransitionTime = now }
            conditions.append(added)
            return
        }
        var existing = conditions[index]
        if existing.status != condition.status {
            existing.status = condition.status
            existing.lastTransitionTime = condition.lastTransitionTime ?? now
        }
        existing.reason = condition.reason
        existing.message = condition.message
        existing.observedGeneration = condition.observedGeneration
        conditions[index] = existing
    }

    /// The condition of `type`, if present.
    public static func find(_ conditions: [MetaV1.Condition]?, _ type: String) -> MetaV1.Condition? {
        conditions?.first { $0.type == type }
    }
}
