import Foundation
import KubeClient
import KubeModel

/// One pass of an autoscaler (upstream `reconcileAutoscaler`).
extension HorizontalPodAutoscalerController {
    typealias Conditions = HorizontalPodAutoscalerConditions

    func reconcileAutoscaler(_ shared: AutoscalingV2.HorizontalPodAutoscaler, key: String) async throws {
        var hpa = shared
        let originalStatus = shared.status
        let now = clock()
        let nowTime = MetaV1.Time(now)
        let namespace = hpa.metadata.namespace ?? ""
        let target = hpa.spec.scaleTargetRef
        let reference = "\(target.kind)/\(namespace)/\(target.name)"

        // The target's scale.
        let resource: KubeResource
        let scale: AutoscalingV1.Scale
        do {
            resource = try Self.scaleResource(apiVersion: target.apiVersion ?? "", kind: target.kind)
        } catch {
            try await failGetScale(&hpa, originalStatus, error, now: nowTime)
            throw HorizontalPodAutoscalerError("unable to determine resource for scale target reference: \(error)")
        }
        do {
            scale = try await client.getScale(resource, namespace: namespace, name: target.name)
        } catch {
            try await failGetScale(&hpa, originalStatus, error, now: nowTime)
            throw HorizontalPodAutoscalerError("failed to query scale subresource for \(reference): \(Self.text(error))")
        }
        Conditions.set(&hpa, Conditions.ableToScale, true, "SucceededGetScale",
                       "the HPA controller was able to get the target's current scale", now: nowTime)
        let currentReplicas = scale.spec.replicas ?? 0
        history.recordInitialRecommendation(key, currentReplicas: currentReplicas, now: now)

        var metricStatuses: [AutoscalingV2.MetricStatus] = []
        var desiredReplicas: Int32 = 0
        var rescaleReason = ""
        let minReplicas = hpa.spec.minReplicas ?? 1
        var rescale = true
        var partialFailure: String?

        if currentReplicas == 0 && minReplicas != 0 {
            // Autoscaling is off while the target is scaled to zero.
            desiredReplicas = 0
            rescale = false
            Conditions.set(&hpa, Conditions.scalingActive, false, "ScalingDisabled",
                           "scaling is disabled since the replica count of the target is zero", now: nowTime)
        } else if currentReplicas > hpa.spec.maxReplicas {
            rescaleReason = "Current number of replicas above Spec.MaxReplicas"
            desiredReplicas = hpa.spec.maxReplicas
        } else if currentReplicas < minReplicas {
            rescaleReason = "Current number of replicas below Spec.MinReplicas"
            desiredReplicas = minReplicas
        } else {
            let proposal: MetricsProposal
            do {
                proposal = try await computeReplicasForMetrics(&hpa, scale: scale, now: now)
            } catch let failure as MetricsFailure {
                setStatus(&hpa, currentReplicas: currentReplicas, desiredReplicas: hpa.status.desiredReplicas,
                          metricStatuses: failure.statuses, rescale: false, now: nowTime)
                try? await updateStatusIfNeeded(originalStatus, hpa)
                events.event(hpa, type: .warning, reason: "FailedComputeMetricsReplicas", message: failure.description)
                throw HorizontalPodAutoscalerError(
                    "failed to compute desired number of replicas based on listed metrics for \(reference): \(failure.description)")
            }
            metricStatuses = proposal.statuses
            // Some metrics failed but the others scale: scale, then report the failure.
            partialFailure = proposal.invalid
            var rescaleMetric = ""
            if proposal.replicas > desiredReplicas {
                desiredReplicas = proposal.replicas
                rescaleMetric = proposal.metric
            }
            if desiredReplicas > currentReplicas { rescaleReason = "\(rescaleMetric) above target" }
            if desiredReplicas < currentReplicas { rescaleReason = "All metrics below target" }
            if hpa.spec.behavior == nil {
                desiredReplicas = normalizeDesiredReplicas(&hpa, key: key, current: currentReplicas,
                                                           desired: desiredReplicas, minReplicas: minReplicas, now: now)
            } else {
                desiredReplicas = normalizeDesiredReplicasWithBehaviors(&hpa, key: key, current: currentReplicas,
                                                                        desired: desiredReplicas, minReplicas: minReplicas, now: now)
            }
            rescale = desiredReplicas != currentReplicas
        }

        if rescale {
            var updated = scale
            updated.spec.replicas = desiredReplicas
            do {
                _ = try await client.updateScale(resource, namespace: namespace, updated)
            } catch {
                events.event(hpa, type: .warning, reason: "FailedRescale",
                             message: "New size: \(desiredReplicas); reason: \(rescaleReason); error: \(Self.text(error))")
                Conditions.set(&hpa, Conditions.ableToScale, false, "FailedUpdateScale",
                               "the HPA controller was unable to update the target scale: \(Self.text(error))", now: nowTime)
                setStatus(&hpa, currentReplicas: currentReplicas, desiredReplicas: hpa.status.desiredReplicas,
                          metricStatuses: metricStatuses, rescale: false, now: nowTime)
                try? await updateStatusIfNeeded(originalStatus, hpa)
                throw HorizontalPodAutoscalerError("failed to rescale \(reference): \(Self.text(error))")
            }
            Conditions.set(&hpa, Conditions.ableToScale, true, "SucceededRescale",
                           "the HPA controller was able to update the target scale to \(desiredReplicas)", now: nowTime)
            events.event(hpa, type: .normal, reason: "SuccessfulRescale",
                         message: "New size: \(desiredReplicas); reason: \(rescaleReason)")
            storeScaleEvent(hpa.spec.behavior, key: key, previous: currentReplicas, new: desiredReplicas, now: now)
            logger.info("successful rescale", metadata: [
                "hpa": "\(key)", "oldSize": "\(currentReplicas)", "newSize": "\(desiredReplicas)", "reason": "\(rescaleReason)",
            ])
        } else {
            desiredReplicas = currentReplicas
        }
        setStatus(&hpa, currentReplicas: currentReplicas, desiredReplicas: desiredReplicas,
                  metricStatuses: metricStatuses, rescale: rescale, now: nowTime)
        try await updateStatusIfNeeded(originalStatus, hpa)
        if let partialFailure { throw HorizontalPodAutoscalerError(partialFailure) }
    }

    /// AbleToScale=False FailedGetScale, its event, and the status written.
    private func failGetScale(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, _ originalStatus: AutoscalingV2.HorizontalPodAutoscalerStatus,
                              _ error: any Error, now: MetaV1.Time) async throws {
        events.event(hpa, type: .warning, reason: "FailedGetScale", message: Self.text(error))
        Conditions.set(&hpa, Conditions.ableToScale, false, "FailedGetScale",
                       "the HPA controller was unable to get the target's current scale: \(Self.text(error))", now: now)
        try? await updateStatusIfNeeded(originalStatus, hpa)
    }

    /// The resource of the scale target (upstream's REST mapping of the group and kind: the
    /// reference's version first, then the group's preferred one).
    static func scaleResource(apiVersion: String, kind: String) throws -> KubeResource {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let group: String
        let version: String
        switch parts.count {
        case 1: (group, version) = ("", parts[0])
        case 2: (group, version) = (parts[0], parts[1])
        default: throw HorizontalPodAutoscalerError("unexpected GroupVersion string: \(apiVersion)")
        }
        let catalog = KubeResourceCatalog.builtIn
        if !version.isEmpty, let resource = catalog.resource(for: GroupVersionKind(group: group, version: version, kind: kind)) {
            return resource
        }
        if let preferred = catalog.preferredVersion(ofGroup: group),
           let resource = catalog.resources(group: group, version: preferred).first(where: { $0.kind == kind }) {
            return resource
        }
        throw HorizontalPodAutoscalerError("no matches for kind \"\(kind)\" in group \"\(group)\"")
    }

    /// Upstream `normalizeDesiredReplicas` (no behavior): the highest recommendation of the
    /// downscale stabilization window, within min/max and at most double the replicas.
    func normalizeDesiredReplicas(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, key: String, current: Int32,
                                  desired: Int32, minReplicas: Int32, now: Date) -> Int32 {
        let nowTime = MetaV1.Time(now)
        let stabilized = history.stabilizeDownscale(key, desired: desired, window: configuration.downscaleStabilizationWindow, now: now)
        if stabilized != desired {
            Conditions.set(&hpa, Conditions.ableToScale, true, "ScaleDownStabilized",
                           "recent recommendations were higher than current one, applying the highest recent recommendation", now: nowTime)
        } else {
            Conditions.set(&hpa, Conditions.ableToScale, true, "ReadyForNewScale", "recommended size matches current size", now: nowTime)
        }
        let limited = ScaleLimits.withRules(current: current, desired: stabilized, minReplicas: minReplicas,
                                            maxReplicas: hpa.spec.maxReplicas)
        Conditions.set(&hpa, Conditions.scalingLimited, limited.replicas != stabilized, limited.reason, limited.message, now: nowTime)
        return limited.replicas
    }

    /// Upstream `normalizeDesiredReplicasWithBehaviors`: the stabilization windows, then the
    /// rate policies and min/max.
    func normalizeDesiredReplicasWithBehaviors(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, key: String, current: Int32,
                                               desired: Int32, minReplicas: Int32, now: Date) -> Int32 {
        let nowTime = MetaV1.Time(now)
        let scaleUp = ScalingRules.scaleUp(hpa.spec.behavior?.scaleUp)
        let scaleDown = ScalingRules.scaleDown(hpa.spec.behavior?.scaleDown, defaultWindow: configuration.downscaleStabilizationWindow)
        let stabilized = history.stabilizeWithBehaviors(
            key, desired: desired, current: current,
            upWindow: .seconds(Int64(scaleUp.stabilizationWindowSeconds)),
            downWindow: .seconds(Int64(scaleDown.stabilizationWindowSeconds)), now: now)
        if stabilized.replicas != desired {
            Conditions.set(&hpa, Conditions.ableToScale, true, stabilized.reason, stabilized.message, now: nowTime)
        } else {
            Conditions.set(&hpa, Conditions.ableToScale, true, "ReadyForNewScale", "recommended size matches current size", now: nowTime)
        }
        let limited = ScaleLimits.withBehaviorRate(
            current: current, desired: stabilized.replicas, minReplicas: minReplicas, maxReplicas: hpa.spec.maxReplicas,
            scaleUp: scaleUp, scaleDown: scaleDown,
            scaleUpEvents: history.scaleUpEvents(key), scaleDownEvents: history.scaleDownEvents(key), now: now)
        Conditions.set(&hpa, Conditions.scalingLimited, limited.replicas != stabilized.replicas, limited.reason, limited.message,
                       now: nowTime)
        return limited.replicas
    }

    /// Rescales are only remembered for autoscalers with a behavior (their rate policies count them).
    func storeScaleEvent(_ behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior?, key: String, previous: Int32, new: Int32, now: Date) {
        guard let behavior else { return }
        let up = ScalingRules.scaleUp(behavior.scaleUp)
        let down = ScalingRules.scaleDown(behavior.scaleDown, defaultWindow: configuration.downscaleStabilizationWindow)
        history.storeScaleEvent(key, previous: previous, new: new, longestUpPeriod: up.longestPolicyPeriod,
                                longestDownPeriod: down.longestPolicyPeriod, now: now)
    }

    /// Upstream `setStatus`: the status rebuilt from the pass (conditions and last scale time kept).
    func setStatus(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, currentReplicas: Int32, desiredReplicas: Int32,
                   metricStatuses: [AutoscalingV2.MetricStatus], rescale: Bool, now: MetaV1.Time) {
        hpa.status = AutoscalingV2.HorizontalPodAutoscalerStatus(
            conditions: hpa.status.conditions,
            currentMetrics: metricStatuses.isEmpty ? nil : metricStatuses,
            currentReplicas: currentReplicas,
            desiredReplicas: desiredReplicas,
            lastScaleTime: rescale ? now : hpa.status.lastScaleTime)
    }

    /// Writes the status unless the pass left it as it was.
    func updateStatusIfNeeded(_ original: AutoscalingV2.HorizontalPodAutoscalerStatus,
                              _ hpa: AutoscalingV2.HorizontalPodAutoscaler) async throws {
        guard original != hpa.status else { return }
        do {
            _ = try await client.updateStatus(hpa)
        } catch {
            events.event(hpa, type: .warning, reason: "FailedUpdateStatus", message: Self.text(error))
            throw HorizontalPodAutoscalerError("failed to update status for \(hpa.metadata.name ?? ""): \(Self.text(error))")
        }
    }
}
