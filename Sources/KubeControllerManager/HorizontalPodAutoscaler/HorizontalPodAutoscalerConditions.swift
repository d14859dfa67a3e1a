import KubeModel

/// The HorizontalPodAutoscaler's condition list as upstream's `setCondition` keeps it: one
/// entry per type, in the order first set; `lastTransitionTime` moves when the status changes.
enum HorizontalPodAutoscalerConditions {
    static let ableToScale = "AbleToScale"
    static let scalingActive = "ScalingActive"
    static let scalingLimited = "ScalingLimited"

    static func set(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, _ type: String, _ status: Bool,
                    _ reason: String, _ message: String, now: MetaV1.Time) {
        set(&hpa, AutoscalingV2.HorizontalPodAutoscalerCondition(message: message, reason: reason,
                                                                 status: status ? "True" : "False", type: type), now: now)
    }

    static func set(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, _ condition: AutoscalingV2.HorizontalPodAutoscalerCondition,
                    now: MetaV1.Time) {
        var conditions = hpa.status.conditions ?? []
        let index: Int
        if let existing = conditions.firstIndex(where: { $0.type == condition.type }) {
            index = existing
        } else {
            conditions.append(AutoscalingV2.HorizontalPodAutoscalerCondition(type: condition.type))
            index = conditions.count - 1
        }
        if conditions[index].status != condition.status { conditions[index].lastTransitionTime = now }
        conditions[index].status = condition.status
        conditions[index].reason = condition.reason
        conditions[index].message = condition.message
        hpa.status.conditions = conditions
    }
}
