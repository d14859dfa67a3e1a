import KubeModel

/// autoscaling/v2 HorizontalPodAutoscaler defaults (upstream `SetDefaults_HorizontalPodAutoscaler`
/// and `…Behavior`): one replica at least, a CPU target of 80 % when no metric is given, and a
/// behavior that is given gets every unset rule filled in.
struct HorizontalPodAutoscalerV2Strategy: KindStrategy {
    func applyDefaults(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler) {
        if hpa.spec.minReplicas == nil { hpa.spec.minReplicas = 1 }
        if (hpa.spec.metrics ?? []).isEmpty {
            hpa.spec.metrics = [AutoscalingV2.MetricSpec(
                resource: AutoscalingV2.ResourceMetricSource(
                    name: "cpu",
                    target: AutoscalingV2.MetricTarget(
                        averageUtilization: Int32(HorizontalPodAutoscalerConversion.defaultCPUUtilization), type: "Utilization")),
                type: "Resource")]
        }
        if var behavior = hpa.spec.behavior {
            behavior.scaleUp = Self.filled(behavior.scaleUp, window: 0, policies: [
                AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Pods", value: 4),
                AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Percent", value: 100),
            ])
            behavior.scaleDown = Self.filled(behavior.scaleDown, window: nil, policies: [
                AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Percent", value: 100),
            ])
            hpa.spec.behavior = behavior
        }
    }

    /// Upstream `GenerateHPAScaleUpRules` / `GenerateHPAScaleDownRules`: given fields stay. The
    /// scale-down window stays unset, so the controller's
    /// `--horizontal-pod-autoscaler-downscale-stabilization` applies.
    static func filled(_ rules: AutoscalingV2.HPAScalingRules?, window: Int32?,
                       policies: [AutoscalingV2.HPAScalingPolicy]) -> AutoscalingV2.HPAScalingRules {
        var result = rules ?? AutoscalingV2.HPAScalingRules()
        if result.stabilizationWindowSeconds == nil, let window { result.stabilizationWindowSeconds = window }
        if result.selectPolicy == nil { result.selectPolicy = "Max" }
        if (result.policies ?? []).isEmpty { result.policies = policies }
        return result
    }
}

/// autoscaling/v1 HorizontalPodAutoscaler defaults (upstream v1 `SetDefaults_HorizontalPodAutoscaler`).
struct HorizontalPodAutoscalerV1Strategy: KindStrategy {
    func applyDefaults(_ hpa: inout AutoscalingV1.HorizontalPodAutoscaler) {
        if hpa.spec.minReplicas == nil { hpa.spec.minReplicas = 1 }
    }
}
