import Foundation
import KubeClient
import KubeModel

/// The replicas each metric of an autoscaler asks for (upstream `computeReplicasForMetrics`
/// and the `computeStatusFor…Metric` functions).
extension HorizontalPodAutoscalerController {
    /// The largest proposal of the valid metrics, its metric's description and every metric's
    /// status; `invalid` tells of metrics that failed while the others still scale up.
    struct MetricsProposal {
        var replicas: Int32
        var metric: String
        var statuses: [AutoscalingV2.MetricStatus]
        var invalid: String?
    }

    /// No proposal at all: the pass records `statuses` and stops.
    struct MetricsFailure: Error, CustomStringConvertible {
        var description: String
        var statuses: [AutoscalingV2.MetricStatus]
    }

    /// One metric's proposal, or the ScalingActive condition its failure sets.
    private struct MetricFailure: Error {
        var condition: AutoscalingV2.HorizontalPodAutoscalerCondition
        var error: String
    }

    /// Skiff serves no custom or external metrics API; reading them fails as upstream's
    /// clients do when no adapter is registered.
    static let customMetricsUnavailable = "unable to fetch metrics from custom metrics API: no known available metric versions found"
    static let externalMetricsUnavailable =
        "unable to fetch metrics from external metrics API: the server could not find the requested resource"

    func computeReplicasForMetrics(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, scale: AutoscalingV1.Scale,
                                   now: Date) async throws -> MetricsProposal {
        let nowTime = MetaV1.Time(now)
        let selector = try validateAndParseSelector(&hpa, scale.status.selector ?? "", now: nowTime)
        let specReplicas = scale.spec.replicas ?? 0
        let statusReplicas = scale.status.replicas
        let specs = hpa.spec.metrics ?? []
        var statuses = [AutoscalingV2.MetricStatus](repeating: AutoscalingV2.MetricStatus(), count: specs.count)
        var replicas: Int32 = 0
        var metric = ""
        var invalidCount = 0
        var firstFailure: MetricFailure?
        for (index, spec) in specs.enumerated() {
            do {
                let proposal = try await computeReplicasForMetric(
                    hpa, spec: spec, specReplicas: specReplicas, statusReplicas: statusReplicas, selector: selector,
                    status: &statuses[index], now: now)
                if replicas == 0 || proposal.replicas > replicas {
                    replicas = proposal.replicas
                    metric = proposal.metric
                }
            } catch let failure as MetricFailure {
                if invalidCount == 0 { firstFailure = failure }
                invalidCount += 1
            }
        }
        let invalid = firstFailure.map { "invalid metrics (\(invalidCount) invalid out of \(specs.count)), first error is: \($0.error)" }
        // All metrics invalid, or some invalid and the valid ones would scale down: do nothing.
        if invalidCount >= specs.count || (invalidCount > 0 && replicas < specReplicas) {
            if let condition = firstFailure?.condition { Conditions.set(&hpa, condition, now: nowTime) }
            throw MetricsFailure(description: invalid ?? "invalid metrics (0 invalid out of 0), first error is: <nil>", statuses: statuses)
        }
        Conditions.set(&hpa, Conditions.scalingActive, true, "ValidMetricFound",
                       "the HPA was able to successfully calculate a replica count from \(metric)", now: nowTime)
        return MetricsProposal(replicas: replicas, metric: metric, statuses: statuses, invalid: invalid)
    }

    /// Upstream `validateAndParseSelector`: the target's selector must be given, parse, and
    /// select pods no other autoscaler selects.
    private func validateAndParseSelector(_ hpa: inout AutoscalingV2.HorizontalPodAutoscaler, _ text: String,
                                          now: MetaV1.Time) throws -> Labels.Selector {
        guard !text.isEmpty else {
            events.event(hpa, type: .warning, reason: "SelectorRequired", message: "selector is required")
            Conditions.set(&hpa, Conditions.scalingActive, false, "InvalidSelector", "the HPA target's scale is missing a selector", now: now)
            throw MetricsFailure(description: "selector is required", statuses: [])
        }
        let selector: Labels.Selector
        do {
            selector = try Labels.Selector(parsing: text)
        } catch {
            let message = "couldn't convert selector into a corresponding internal selector object: \(error)"
            events.event(hpa, type: .warning, reason: "InvalidSelector", message: message)
            Conditions.set(&hpa, Conditions.scalingActive, false, "InvalidSelector", message, now: now)
            throw MetricsFailure(description: message, statuses: [])
        }
        let namespace = hpa.metadata.namespace ?? ""
        selectors.update(ObjectKeys.key(of: hpa), selector: selector)
        let selecting = selectors.autoscalers(selecting: pods.list(namespace: namespace, selector), namespace: namespace)
        if selecting.count > 1 {
            let message = "pods by selector \(text) are controlled by multiple HPAs: [\(selecting.joined(separator: " "))]"
            events.event(hpa, type: .warning, reason: "AmbiguousSelector", message: message)
            Conditions.set(&hpa, Conditions.scalingActive, false, "AmbiguousSelector", message, now: now)
            throw MetricsFailure(description: message, statuses: [])
        }
        return selector
    }

    /// Upstream `computeReplicasForMetric`: throws ``MetricFailure`` (after its event) on failure.
    private func computeReplicasForMetric(_ hpa: AutoscalingV2.HorizontalPodAutoscaler, spec: AutoscalingV2.MetricSpec,
                                          specReplicas: Int32, statusReplicas: Int32, selector: Labels.Selector,
                                          status: inout AutoscalingV2.MetricStatus,
                                          now: Date) async throws -> (replicas: Int32, metric: String) {
        switch spec.type {
        case "Resource":
            guard let source = spec.resource else { throw unknownSource(hpa, spec.type) }
            do {
                let result = try await resourceProposal(hpa, target: source.target, resource: source.name, container: "",
                                                        currentReplicas: specReplicas, selector: selector, now: now)
                status = AutoscalingV2.MetricStatus(
                    resource: AutoscalingV2.ResourceMetricStatus(current: result.status, name: source.name), type: "Resource")
                return (result.replicas, result.metric)
            } catch let error as HorizontalPodAutoscalerError {
                throw unableToCompute(hpa, "FailedGetResourceMetric", error.description,
                                      returned: "failed to get \(source.name) resource metric value: \(error.description)")
            }
        case "ContainerResource":
            guard let source = spec.containerResource else { throw unknownSource(hpa, spec.type) }
            do {
                let result = try await resourceProposal(hpa, target: source.target, resource: source.name, container: source.container,
                                                        currentReplicas: specReplicas, selector: selector, now: now)
                status = AutoscalingV2.MetricStatus(
                    containerResource: AutoscalingV2.ContainerResourceMetricStatus(
                        container: source.container, current: result.status, name: source.name),
                    type: "ContainerResource")
                return (result.replicas, result.metric)
            } catch let error as HorizontalPodAutoscalerError {
                throw unableToCompute(hpa, "FailedGetContainerResourceMetric", error.description,
                                      returned: "failed to get \(source.container) container metric value: \(error.description)")
            }
        case "Pods":
            let name = spec.pods?.metric.name ?? ""
            let error = "unable to get metric \(name): \(Self.customMetricsUnavailable)"
            throw unableToCompute(hpa, "FailedGetPodsMetric", error, returned: "failed to get pods metric value: \(error)")
        case "Object":
            let source = spec.object
            let name = source?.metric.name ?? ""
            let object = source?.describedObject
            let fetch = "unable to get metric \(name): \(object?.kind ?? "") on \(hpa.metadata.namespace ?? "") "
                + "\(object?.name ?? "")/\(Self.customMetricsUnavailable)"
            switch source?.target.type {
            case "Value":
                throw unableToCompute(hpa, "FailedGetObjectMetric", fetch, returned: "failed to get object metric value: \(fetch)")
            case "AverageValue":
                throw unableToCompute(hpa, "FailedGetObjectMetric", fetch,
                                      returned: "failed to get object metric value: failed to get \(name) object metric: \(fetch)")
            default:
                let error = "invalid object metric source: neither a value target nor an average value target was set"
                throw unableToCompute(hpa, "FailedGetObjectMetric", error, returned: "failed to get object metric value: \(error)")
            }
        case "External":
            let source = spec.external
            let name = source?.metric.name ?? ""
            let fetch = "unable to get external metric \(hpa.metadata.namespace ?? "")/\(name)/"
                + "\(Self.goFormat(source?.metric.selector)): \(Self.externalMetricsUnavailable)"
            let wrap = "failed to get \(name) external metric value: "
            if source?.target.averageValue != nil {
                throw unableToCompute(hpa, "FailedGetExternalMetric", fetch,
                                      returned: wrap + "failed to get \(name) external metric: \(fetch)")
            }
            if source?.target.value != nil {
                throw unableToCompute(hpa, "FailedGetExternalMetric", fetch,
                                      returned: wrap + "failed to get external metric \(name): \(fetch)")
            }
            let error = "invalid external metric source: neither a value target nor an average value target was set"
            throw unableToCompute(hpa, "FailedGetExternalMetric", error, returned: wrap + error)
        default:
            throw unknownSource(hpa, spec.type)
        }
    }

    /// Upstream `computeStatusForResourceMetricGeneric`.
    private func resourceProposal(_ hpa: AutoscalingV2.HorizontalPodAutoscaler, target: AutoscalingV2.MetricTarget,
                                  resource: String, container: String, currentReplicas: Int32, selector: Labels.Selector,
                                  now: Date) async throws -> (replicas: Int32, status: AutoscalingV2.MetricValueStatus, metric: String) {
        let namespace = hpa.metadata.namespace ?? ""
        let tolerances = tolerances(hpa)
        if let averageValue = target.averageValue {
            do {
                let (metrics, _) = try await fetchMetrics(resource: resource, namespace: namespace, selector: selector, container: container)
                let result = try calculator.plainMetricReplicas(
                    currentReplicas: currentReplicas, targetUsage: averageValue.milliValue, resource: resource, tolerances: tolerances,
                    pods: pods.list(namespace: namespace, selector), metrics: metrics, now: now)
                return (result.replicas, AutoscalingV2.MetricValueStatus(averageValue: Quantity(milli: result.usage)),
                        "\(resource) resource")
            } catch let error as CancellationError {
                throw error
            } catch {
                throw HorizontalPodAutoscalerError("failed to get \(resource) usage: \(Self.text(error))")
            }
        }
        guard let targetUtilization = target.averageUtilization else {
            throw HorizontalPodAutoscalerError(
                "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
        }
        do {
            let (metrics, _) = try await fetchMetrics(resource: resource, namespace: namespace, selector: selector, container: container)
            let result = try calculator.resourceReplicas(
                currentReplicas: currentReplicas, targetUtilization: targetUtilization, resource: resource, tolerances: tolerances,
                pods: pods.list(namespace: namespace, selector), metrics: metrics, container: container, now: now)
            let metric = container.isEmpty
                ? "\(resource) resource utilization (percentage of request)"
                : "\(resource) container resource utilization (percentage of request)"
            return (result.replicas,
                    AutoscalingV2.MetricValueStatus(averageUtilization: result.utilization,
                                                    averageValue: Quantity(milli: result.rawUtilization)),
                    metric)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw HorizontalPodAutoscalerError("failed to get \(resource) utilization: \(Self.text(error))")
        }
    }

    private func fetchMetrics(resource: String, namespace: String, selector: Labels.Selector,
                              container: String) async throws -> (PodMetricsInfo, Date) {
        try await ReplicaCalculator.resourceMetrics(metrics, resource: resource, namespace: namespace, selector: selector,
                                                    container: container)
    }

    /// The tolerances: a behavior's per-direction `tolerance` where set, else the manager's.
    func tolerances(_ hpa: AutoscalingV2.HorizontalPodAutoscaler) -> Tolerances {
        Tolerances(scaleDown: hpa.spec.behavior?.scaleDown?.tolerance?.approximateDouble ?? configuration.tolerance,
                   scaleUp: hpa.spec.behavior?.scaleUp?.tolerance?.approximateDouble ?? configuration.tolerance)
    }

    /// Upstream `getUnableComputeReplicaCountCondition`: a Warning event with `error`, and the
    /// ScalingActive=False condition the failure would set.
    private func unableToCompute(_ hpa: AutoscalingV2.HorizontalPodAutoscaler, _ reason: String, _ error: String,
                                 returned: String) -> MetricFailure {
        events.event(hpa, type: .warning, reason: reason, message: error)
        return MetricFailure(
            condition: AutoscalingV2.HorizontalPodAutoscalerCondition(
                message: "the HPA was unable to compute the replica count: \(error)", reason: reason, status: "False",
                type: Conditions.scalingActive),
            error: returned)
    }

    private func unknownSource(_ hpa: AutoscalingV2.HorizontalPodAutoscaler, _ type: String) -> MetricFailure {
        let error = "unknown metric source type \"\(type)\""
        return unableToCompute(hpa, "InvalidMetricSourceType", error, returned: error)
    }

    /// Go's `%+v` of a `*metav1.LabelSelector` (its generated `String()`), as upstream's messages print it.
    static func goFormat(_ selector: MetaV1.LabelSelector?) -> String {
        guard let selector else { return "nil" }
        let labels = (selector.matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)," }.joined()
        let expressions = (selector.matchExpressions ?? []).map {
            "LabelSelectorRequirement{Key:\($0.key),Operator:\($0.operator),Values:[\(($0.values ?? []).joined(separator: " "))],}"
        }.joined(separator: ",")
        return "&LabelSelector{MatchLabels:map[string]string{\(labels)},MatchExpressions:[]LabelSelectorRequirement{\(expressions)},}"
    }
}
