import Foundation
import KubeModel

/// The limits upstream puts on a recommendation: `minReplicas`/`maxReplicas`, the legacy
/// scale-up limit (no behavior) and the behavior's rate policies.
enum ScaleLimits {
    /// Without a behavior, a pass may at most double the replicas (and always reach 4).
    static func legacyScaleUpLimit(_ currentReplicas: Int32) -> Int32 {
        Int32(max(2.0 * Double(currentReplicas), 4.0))
    }

    /// Upstream `convertDesiredReplicasWithRules`: clamps `desired` and names the limit that applied.
    static func withRules(current: Int32, desired: Int32, minReplicas: Int32,
                          maxReplicas: Int32) -> (replicas: Int32, reason: String, message: String) {
        let scaleUpLimit = legacyScaleUpLimit(current)
        let maximumAllowed: Int32
        var reason: String
        var message: String
        if maxReplicas > scaleUpLimit {
            maximumAllowed = scaleUpLimit
            reason = "ScaleUpLimit"
            message = "the desired replica count is increasing faster than the maximum scale rate"
        } else {
            maximumAllowed = maxReplicas
            reason = "TooManyReplicas"
            message = "the desired replica count is more than the maximum replica count"
        }
        if desired < minReplicas {
            reason = "TooFewReplicas"
            message = "the desired replica count is less than the minimum replica count"
            return (minReplicas, reason, message)
        }
        if desired > maximumAllowed { return (maximumAllowed, reason, message) }
        return (desired, "DesiredWithinRange", "the desired count is within the acceptable range")
    }

    /// Upstream `convertDesiredReplicasWithBehaviorRate`: clamps `desired` to the rate the
    /// policies allow given the recent scale events, and to `minReplicas`/`maxReplicas`.
    static func withBehaviorRate(current: Int32, desired: Int32, minReplicas: Int32, maxReplicas: Int32,
                                 scaleUp: ScalingRules, scaleDown: ScalingRules,
                                 scaleUpEvents: [ScalingHistory.ScaleEvent], scaleDownEvents: [ScalingHistory.ScaleEvent],
                                 now: Date) -> (replicas: Int32, reason: String, message: String) {
        if desired > current {
            var limit = scaleUpLimit(current: current, upEvents: scaleUpEvents, downEvents: scaleDownEvents, rules: scaleUp, now: now)
            if limit < current { limit = current }
            var maximumAllowed = maxReplicas
            let reason: String
            let message: String
            if maximumAllowed > limit {
                maximumAllowed = limit
                reason = "ScaleUpLimit"
                message = "the desired replica count is increasing faster than the maximum scale rate"
            } else {
                reason = "TooManyReplicas"
                message = "the desired replica count is more than the maximum replica count"
            }
            if desired > maximumAllowed { return (maximumAllowed, reason, message) }
        } else if desired < current {
            var limit = scaleDownLimit(current: current, upEvents: scaleUpEvents, downEvents: scaleDownEvents, rules: scaleDown, now: now)
            if limit > current { limit = current }
            var minimumAllowed = minReplicas
            let reason: String
            let message: String
            if minimumAllowed < limit {
                minimumAllowed = limit
                reason = "ScaleDownLimit"
                message = "the desired replica count is decreasing faster than the maximum scale rate"
            } else {
                reason = "TooFewReplicas"
                message = "the desired replica count is less than the minimum replica count"
            }
            if desired < minimumAllowed { return (minimumAllowed, reason, message) }
        }
        return (desired, "DesiredWithinRange", "the desired count is within the acceptable range")
    }

    /// The replicas added (or removed) by events younger than `periodSeconds`.
    static func replicasChange(periodSeconds: Int32, events: [ScalingHistory.ScaleEvent], now: Date) -> Int32 {
        let cutoff = now.addingTimeInterval(-TimeInterval(periodSeconds))
        return events.filter { $0.timestamp > cutoff }.reduce(0) { $0 + $1.replicaChange }
    }

    /// The replicas at the start of a policy's period: the current ones less those added and
    /// plus those removed since.
    static func periodStart(current: Int32, periodSeconds: Int32, upEvents: [ScalingHistory.ScaleEvent],
                            downEvents: [ScalingHistory.ScaleEvent], now: Date) -> Int32 {
        current - replicasChange(periodSeconds: periodSeconds, events: upEvents, now: now)
            + replicasChange(periodSeconds: periodSeconds, events: downEvents, now: now)
    }

    /// Upstream `calculateScaleUpLimitWithScalingRules`.
    static func scaleUpLimit(current: Int32, upEvents: [ScalingHistory.ScaleEvent], downEvents: [ScalingHistory.ScaleEvent],
                             rules: ScalingRules, now: Date) -> Int32 {
        if rules.selectPolicy == "Disabled" { return current }
        let pickMin = rules.selectPolicy == "Min"
        var result: Int32 = pickMin ? Int32.max : Int32.min
        for policy in rules.policies {
            let start = periodStart(current: current, periodSeconds: policy.periodSeconds, upEvents: upEvents,
                                    downEvents: downEvents, now: now)
            var proposed: Int32 = 0
            if policy.type == "Pods" {
                proposed = start + policy.value
            } else if policy.type == "Percent" {
                proposed = Int32((Double(start) * (1 + Double(policy.value) / 100)).rounded(.up))
            }
            result = pickMin ? min(result, proposed) : max(result, proposed)
        }
        return result
    }

    /// Upstream `calculateScaleDownLimitWithBehaviors`.
    static func scaleDownLimit(current: Int32, upEvents: [ScalingHistory.ScaleEvent], downEvents: [ScalingHistory.ScaleEvent],
                               rules: ScalingRules, now: Date) -> Int32 {
        if rules.selectPolicy == "Disabled" { return current }
        let pickMin = rules.selectPolicy == "Min"
        var result: Int32 = pickMin ? Int32.min : Int32.max
        for policy in rules.policies {
            let start = periodStart(current: current, periodSeconds: policy.periodSeconds, upEvents: upEvents,
                                    downEvents: downEvents, now: now)
            var proposed: Int32 = 0
            if policy.type == "Pods" {
                proposed = start - policy.value
            } else if policy.type == "Percent" {
                proposed = Int32(Double(start) * (1 - Double(policy.value) / 100))
            }
            // "Min" picks the smallest change: the highest floor.
            result = pickMin ? max(result, proposed) : min(result, proposed)
        }
        return result
    }
}
