import Foundation
import KubeModel

/// One direction of an autoscaler's `behavior` with every field filled in (upstream's API
/// defaults: scale up 4 pods or 100 % per 15 s, the larger, no stabilization; scale down
/// 100 % per 15 s, stabilized over `--horizontal-pod-autoscaler-downscale-stabilization`).
struct ScalingRules: Sendable, Equatable {
    var stabilizationWindowSeconds: Int32
    /// `Max`, `Min` or `Disabled`.
    var selectPolicy: String
    var policies: [AutoscalingV2.HPAScalingPolicy]

    static func scaleUp(_ rules: AutoscalingV2.HPAScalingRules?) -> ScalingRules {
        ScalingRules(
            stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? 0,
            selectPolicy: rules?.selectPolicy ?? "Max",
            policies: rules?.policies.flatMap { $0.isEmpty ? nil : $0 } ?? [
                AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Pods", value: 4),
                AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Percent", value: 100),
            ])
    }

    static func scaleDown(_ rules: AutoscalingV2.HPAScalingRules?, defaultWindow: Duration) -> ScalingRules {
        ScalingRules(
            stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? Int32(clamping: defaultWindow.components.seconds),
            selectPolicy: rules?.selectPolicy ?? "Max",
            policies: rules?.policies.flatMap { $0.isEmpty ? nil : $0 } ?? [
                AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Percent", value: 100),
            ])
    }

    var longestPolicyPeriod: Int32 { policies.map(\.periodSeconds).max() ?? 0 }
}
