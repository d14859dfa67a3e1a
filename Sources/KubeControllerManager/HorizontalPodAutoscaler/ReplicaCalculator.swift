import Foundation
import KubeModel

/// An error of the replica calculation, with upstream's message.
struct ReplicaCalculationError: Error, CustomStringConvertible, Equatable {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Upstream's `ReplicaCalculator`: from the pods a target selects and their metrics, the
/// replica count that brings the average usage to the target. Pods being deleted or failed
/// are ignored; pending pods (and, for cpu, pods not yet ready or whose sample predates their
/// readiness) count as unready; pods without a sample count as missing. On a scale-up,
/// unready and missing pods are assumed to use nothing; on a scale-down missing pods are
/// assumed to use their request (utilization) or the target (raw values). A change that
/// would flip the direction, or stay within the tolerance, keeps the current count.
struct ReplicaCalculator: Sendable {
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    var cpuInitializationPeriod: Duration
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    var delayOfInitialReadinessStatus: Duration

    /// The usage of `resource` per pod (upstream `GetResourceMetric` as the calculator calls it).
    static func resourceMetrics(_ source: any ResourceMetricsSource, resource: String, namespace: String,
                                selector: Labels.Selector, container: String) async throws -> (PodMetricsInfo, Date) {
        do {
            return try await ResourceMetrics.fetch(source, resource: resource, namespace: namespace, selector: selector,
                                                   container: container)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw ReplicaCalculationError("unable to get metrics for resource \(resource): \(error)")
        }
    }

    /// What a utilization (percentage of request) target yields.
    struct UtilizationResult: Equatable {
        var replicas: Int32
        var utilization: Int32
        var rawUtilization: Int64
    }

    /// Replicas for a `Utilization` target of `resource` (upstream `GetResourceReplicas`).
    func resourceReplicas(currentReplicas: Int32, targetUtilization: Int32, resource: String, tolerances: Tolerances,
                          pods: [CoreV1.Pod], metrics: PodMetricsInfo, container: String, now: Date) throws -> UtilizationResult {
        guard !pods.isEmpty else { throw ReplicaCalculationError("no pods returned by selector while calculating replica count") }
        var metrics = metrics
        let groups = groupPods(pods, metrics: metrics, resource: resource, now: now)
        for name in groups.ignored.union(groups.unready) { metrics[name] = nil }
        guard !metrics.isEmpty else {
            throw ReplicaCalculationError("did not receive metrics for targeted pods (pods might be unready)")
        }
        let requests = try Self.requests(pods, container: container, resource: resource)
        let (usageRatio, utilization, rawUtilization) = try Self.utilizationRatio(metrics, requests: requests, target: targetUtilization)

        let scaleUpWithUnready = !groups.unready.isEmpty && usageRatio > 1.0
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if tolerances.isWithin(usageRatio) {
                return UtilizationResult(replicas: currentReplicas, utilization: utilization, rawUtilization: rawUtilization)
            }
            return UtilizationResult(replicas: Self.ceilToInt32(usageRatio * Double(groups.readyCount)),
                                     utilization: utilization, rawUtilization: rawUtilization)
        }
        if !groups.missing.isEmpty {
            if usageRatio < 1.0 {
                // Scaling down: missing pods use their whole request (or the target, when above 100 %).
                let fallback = Int64(max(100, targetUtilization))
                for name in groups.missing {
                    metrics[name] = PodMetric(timestamp: now, window: .zero, value: (requests[name] ?? 0) * fallback / 100)
                }
            } else if usageRatio > 1.0 {
                for name in groups.missing { metrics[name] = PodMetric(timestamp: now, window: .zero, value: 0) }
            }
        }
        if scaleUpWithUnready {
            for name in groups.unready { metrics[name] = PodMetric(timestamp: now, window: .zero, value: 0) }
        }
        let (newUsageRatio, _, _) = try Self.utilizationRatio(metrics, requests: requests, target: targetUtilization)
        let unchanged = UtilizationResult(replicas: currentReplicas, utilization: utilization, rawUtilization: rawUtilization)
        if tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0) {
            return unchanged
        }
        let newReplicas = Self.ceilToInt32(newUsageRatio * Double(metrics.count))
        if (newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas) {
            return unchanged
        }
        return UtilizationResult(replicas: newReplicas, utilization: utilization, rawUtilization: rawUtilization)
    }

    /// Replicas for an `AverageValue` target (milli-units) of `resource` (upstream
    /// `calcPlainMetricReplicas`); also answers the current average usage.
    func plainMetricReplicas(currentReplicas: Int32, targetUsage: Int64, resource: String, tolerances: Tolerances,
                             pods: [CoreV1.Pod], metrics: PodMetricsInfo, now: Date) throws -> (replicas: Int32, usage: Int64) {
        guard !pods.isEmpty else { throw ReplicaCalculationError("no pods returned by selector while calculating replica count") }
        var metrics = metrics
        let groups = groupPods(pods, metrics: metrics, resource: resource, now: now)
        for name in groups.ignored.union(groups.unready) { metrics[name] = nil }
        guard !metrics.isEmpty else {
            throw ReplicaCalculationError("did not receive metrics for targeted pods (pods might be unready)")
        }
        let (usageRatio, usage) = Self.usageRatio(metrics, target: targetUsage)
        let scaleUpWithUnready = !groups.unready.isEmpty && usageRatio > 1.0
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if tolerances.isWithin(usageRatio) { return (currentReplicas, usage) }
            return (Self.ceilToInt32(usageRatio * Double(groups.readyCount)), usage)
        }
        if !groups.missing.isEmpty {
            if usageRatio < 1.0 {
                for name in groups.missing { metrics[name] = PodMetric(timestamp: now, window: .zero, value: targetUsage) }
            } else if usageRatio > 1.0 {
                for name in groups.missing { metrics[name] = PodMetric(timestamp: now, window: .zero, value: 0) }
            }
        }
        if scaleUpWithUnready {
            for name in groups.unready { metrics[name] = PodMetric(timestamp: now, window: .zero, value: 0) }
        }
        let (newUsageRatio, _) = Self.usageRatio(metrics, target: targetUsage)
        if tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0) {
            return (currentReplicas, usage)
        }
        let newReplicas = Self.ceilToInt32(newUsageRatio * Double(metrics.count))
        if (newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas) {
            return (currentReplicas, usage)
        }
        return (newReplicas, usage)
    }

    /// The pods sorted by how their samples may be used (upstream `groupPods`).
    struct PodGroups: Equatable {
        var readyCount = 0
        var unready: Set<String> = []
        var missing: Set<String> = []
        var ignored: Set<String> = []
    }

    func groupPods(_ pods: [CoreV1.Pod], metrics: PodMetricsInfo, resource: String, now: Date) -> PodGroups {
        var groups = PodGroups()
        for pod in pods {
            let name = pod.metadata.name ?? ""
            if pod.metadata.deletionTimestamp != nil || pod.status.phase == "Failed" {
                groups.ignored.insert(name)
                continue
            }
            if pod.status.phase == "Pending" {
                groups.unready.insert(name)
                continue
            }
            guard let metric = metrics[name] else {
                groups.missing.insert(name)
                continue
            }
            if resource == "cpu" {
                let unready: Bool
                let ready = pod.status.conditions?.first { $0.type == "Ready" }
                if let ready, let startTime = pod.status.startTime {
                    let start = startTime.date
                    let transition = ready.lastTransitionTime?.date ?? Date(timeIntervalSince1970: 0)
                    if start.addingTimeInterval(Self.seconds(cpuInitializationPeriod)) > now {
                        // Still initialising: skip a pod not ready, or one whose sample started before it became ready.
                        unready = ready.status == "False"
                            || metric.timestamp < transition.addingTimeInterval(Self.seconds(metric.window))
                    } else {
                        // Skip a pod that is unready and has never been ready.
                        unready = ready.status == "False"
                            && start.addingTimeInterval(Self.seconds(delayOfInitialReadinessStatus)) > transition
                    }
                } else {
                    unready = true
                }
                if unready {
                    groups.unready.insert(name)
                    continue
                }
            }
            groups.readyCount += 1
        }
        return groups
    }

    /// Each pod's request of `resource` in milli-units (upstream `calculateRequests`): the
    /// pod-level request when set (and no container is named), else the sum over its
    /// containers and sidecar init containers, or the named container's.
    static func requests(_ pods: [CoreV1.Pod], container: String, resource: String) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for pod in pods {
            let name = pod.metadata.name ?? ""
            let podLevel = pod.spec.resources?.requests ?? [:]
            if container.isEmpty, podLevel["cpu"] != nil || podLevel["memory"] != nil {
                guard let request = podLevel[resource] else {
                    throw ReplicaCalculationError("missing pod-level request for \(resource) in Pod \(name)")
                }
                result[name] = request.milliValue
                continue
            }
            var containers = pod.spec.containers
            containers += (pod.spec.initContainers ?? []).filter { $0.restartPolicy == "Always" }
            var sum: Int64 = 0
            var found = false
            for candidate in containers where container.isEmpty || candidate.name == container {
                guard let request = candidate.resources?.requests?[resource] else {
                    throw ReplicaCalculationError("missing request for \(resource) in container \(candidate.name) of Pod \(name)")
                }
                sum += request.milliValue
                if candidate.name == container {
                    found = true
                    break
                }
            }
            if !container.isEmpty && !found {
                throw ReplicaCalculationError("container \(container) not found in Pod \(name)")
            }
            result[name] = sum
        }
        return result
    }

    /// Upstream `GetResourceUtilizationRatio`: (usage ratio, utilization in percent, average raw value).
    static func utilizationRatio(_ metrics: PodMetricsInfo, requests: [String: Int64],
                                 target: Int32) throws -> (Double, Int32, Int64) {
        var metricsTotal: Int64 = 0
        var requestsTotal: Int64 = 0
        var entries: Int64 = 0
        for (name, metric) in metrics {
            guard let request = requests[name] else { continue }
            metricsTotal += metric.value
            requestsTotal += request
            entries += 1
        }
        guard requestsTotal != 0 else { throw ReplicaCalculationError("no metrics returned matched known pods") }
        let utilization = Int32(clamping: (metricsTotal * 100) / requestsTotal)
        return (Double(utilization) / Double(target), utilization, metricsTotal / entries)
    }

    /// Upstream `GetMetricUsageRatio`: (usage ratio, average usage).
    static func usageRatio(_ metrics: PodMetricsInfo, target: Int64) -> (Double, Int64) {
        let total = metrics.values.reduce(Int64(0)) { $0 + $1.value }
        let usage = total / Int64(metrics.count)
        return (Double(usage) / Double(target), usage)
    }

    static func ceilToInt32(_ value: Double) -> Int32 {
        let rounded = value.rounded(.up)
        if rounded >= Double(Int32.max) { return Int32.max }
        return Int32(rounded)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
