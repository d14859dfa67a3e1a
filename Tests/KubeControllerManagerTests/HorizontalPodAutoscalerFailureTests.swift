import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream horizontal_test.go's failure cases: what the conditions and events say when the
/// scale, the selector or the metrics cannot be had, and when a rescale fails.
@Suite struct HorizontalPodAutoscalerFailureTests {
    typealias Fixture = HorizontalPodAutoscalerFixture

    static let utilization = "cpu resource utilization (percentage of request)"

    @Test func aTargetWithoutSelectorIsAnInvalidSelector() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(), specReplicas: 3, usage: [300, 500, 700], selector: false)
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.conditions == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/InvalidSelector"])
        #expect(fixture.condition("ScalingActive")?.message == "the HPA target's scale is missing a selector")
        #expect(fixture.events == ["Warning SelectorRequired selector is required",
                                   "Warning FailedComputeMetricsReplicas selector is required"])
        #expect(fixture.stored?.status.currentReplicas == 3)
        #expect(fixture.rescaledTo == nil)
    }

    @Test func aMissingTargetFailsToGetTheScale() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(), specReplicas: 3, usage: [], deployment: false)
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.conditions == ["AbleToScale=False/FailedGetScale"])
        let message = try #require(fixture.condition("AbleToScale")?.message)
        #expect(message.hasPrefix("the HPA controller was unable to get the target's current scale: "))
        #expect(fixture.events.map { $0.prefix(22) } == ["Warning FailedGetScale"])
    }

    @Test func anUnknownTargetKindFailsToGetTheScale() async throws {
        var hpa = Fixture.hpa()
        hpa.spec.scaleTargetRef.kind = "Widget"
        let fixture = Fixture(hpa: hpa, specReplicas: 3, usage: [])
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.condition("AbleToScale")?.message
            == "the HPA controller was unable to get the target's current scale: no matches for kind \"Widget\" in group \"apps\"")
        #expect(fixture.events == ["Warning FailedGetScale no matches for kind \"Widget\" in group \"apps\""])
    }

    @Test func aFailedScaleUpdateIsReported() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(), specReplicas: 3, usage: [300, 500, 700])
        fixture.harness.client.inject(RecordingObjectClient.statusError(code: 409, reason: "Conflict", message: "stale"),
                                      verb: "update", kind: "Deployment")
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.conditions == ["AbleToScale=False/FailedUpdateScale", "ScalingActive=True/ValidMetricFound",
                                       "ScalingLimited=False/DesiredWithinRange"])
        #expect(fixture.condition("AbleToScale")?.message == "the HPA controller was unable to update the target scale: stale")
        #expect(fixture.events == ["Warning FailedRescale New size: 5; reason: \(Self.utilization) above target; error: stale"])
        let status = try #require(fixture.stored?.status)
        #expect(status.currentReplicas == 3)
        #expect(status.desiredReplicas == 0)
        #expect(status.lastScaleTime == nil)
    }

    @Test func podsSelectedByAnotherAutoscalerAreAnAmbiguousSelector() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(), specReplicas: 3, usage: [300, 500, 700])
        let other = "test-namespace/other"
        fixture.controller.selectors.register(other)
        fixture.controller.selectors.update(other, selector: Labels.Selector(matching: ["name": "test-pod"]))
        fixture.controller.selectors.register(Fixture.key)
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        let message = "pods by selector name=test-pod are controlled by multiple HPAs: [test-namespace/other test-namespace/test-hpa]"
        #expect(fixture.conditions == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/AmbiguousSelector"])
        #expect(fixture.condition("ScalingActive")?.message == message)
        #expect(fixture.events == ["Warning AmbiguousSelector \(message)", "Warning FailedComputeMetricsReplicas \(message)"])
        #expect(fixture.rescaledTo == nil)
        // Once the other autoscaler is gone, the pods are this one's alone.
        fixture.controller.selectors.remove(other)
        fixture.harness.cache(try #require(fixture.stored))
        try await fixture.sync()
        #expect(fixture.rescaledTo == 5)
    }

    @Test func unavailableResourceMetricsStopScaling() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(), specReplicas: 3, usage: [300, 500, 700])
        fixture.metrics.fail(with: RecordingObjectClient.statusError(
            code: 404, reason: "NotFound", message: "the server could not find the requested resource"))
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.conditions == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/FailedGetResourceMetric"])
        let cause = "failed to get cpu utilization: unable to get metrics for resource cpu: "
            + "unable to fetch metrics from resource metrics API: the server could not find the requested resource"
        #expect(fixture.condition("ScalingActive")?.message == "the HPA was unable to compute the replica count: \(cause)")
        #expect(fixture.events == [
            "Warning FailedGetResourceMetric \(cause)",
            "Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: "
                + "failed to get cpu resource metric value: \(cause)",
        ])
        #expect(fixture.rescaledTo == nil)
        #expect(fixture.stored?.status.currentReplicas == 3)
    }

    @Test func noPodMetricsAtAll() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(), specReplicas: 3, usage: [])
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.condition("ScalingActive")?.message == "the HPA was unable to compute the replica count: "
            + "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API")
    }

    static let pods = AutoscalingV2.MetricSpec(
        pods: AutoscalingV2.PodsMetricSource(metric: AutoscalingV2.MetricIdentifier(name: "qps"),
                                             target: AutoscalingV2.MetricTarget(averageValue: "10", type: "AverageValue")),
        type: "Pods")
    static let object = AutoscalingV2.MetricSpec(
        object: AutoscalingV2.ObjectMetricSource(
            describedObject: AutoscalingV2.CrossVersionObjectReference(apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "web"),
            metric: AutoscalingV2.MetricIdentifier(name: "requests"),
            target: AutoscalingV2.MetricTarget(type: "Value", value: "100")),
        type: "Object")
    static let external = AutoscalingV2.MetricSpec(
        external: AutoscalingV2.ExternalMetricSource(
            metric: AutoscalingV2.MetricIdentifier(name: "queue", selector: MetaV1.LabelSelector(matchLabels: ["queue": "jobs"])),
            target: AutoscalingV2.MetricTarget(averageValue: "30", type: "AverageValue")),
        type: "External")

    struct MetricCase: Sendable, CustomTestStringConvertible {
        var spec: AutoscalingV2.MetricSpec
        var reason: String
        var cause: String
        var testDescription: String { spec.type }
    }

    // Skiff has no custom or external metrics API: these fail as upstream's do without an adapter.
    static let metricCases: [MetricCase] = [
        MetricCase(spec: pods, reason: "FailedGetPodsMetric",
                   cause: "unable to get metric qps: unable to fetch metrics from custom metrics API: no known available metric versions found"),
        MetricCase(spec: object, reason: "FailedGetObjectMetric",
                   cause: "unable to get metric requests: Ingress on test-namespace web/unable to fetch metrics from custom metrics API: "
                       + "no known available metric versions found"),
        MetricCase(spec: external, reason: "FailedGetExternalMetric",
                   cause: "unable to get external metric test-namespace/queue/&LabelSelector{MatchLabels:map[string]string{queue: jobs,},"
                       + "MatchExpressions:[]LabelSelectorRequirement{},}: unable to fetch metrics from external metrics API: "
                       + "the server could not find the requested resource"),
    ]

    @Test(arguments: metricCases)
    func customAndExternalMetricsAreUnavailable(_ testCase: MetricCase) async throws {
        let fixture = Fixture(hpa: Fixture.hpa(metrics: [testCase.spec]), specReplicas: 3, usage: [300, 500, 700])
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.conditions == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/\(testCase.reason)"])
        #expect(fixture.condition("ScalingActive")?.message == "the HPA was unable to compute the replica count: \(testCase.cause)")
        #expect(fixture.events.first == "Warning \(testCase.reason) \(testCase.cause)")
        #expect(fixture.events.last?.hasPrefix("Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1)") == true)
        #expect(fixture.rescaledTo == nil)
    }

    @Test func oneInvalidMetricDoesNotStopAScaleUp() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(metrics: [Self.pods, Fixture.cpu(utilization: 30)]), specReplicas: 3,
                              usage: [300, 500, 700])
        // The pass scales on the valid metric, then reports the invalid one.
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.rescaledTo == 5)
        #expect(fixture.conditions == ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound",
                                       "ScalingLimited=False/DesiredWithinRange"])
        let metrics = try #require(fixture.stored?.status.currentMetrics)
        #expect(metrics.map(\.type) == ["", "Resource"])
    }

    @Test func oneInvalidMetricStopsAScaleDown() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(metrics: [Self.pods, Fixture.cpu(utilization: 50)]), specReplicas: 5,
                              usage: [100, 300, 500, 250, 250])
        fixture.controller.history.set(Fixture.key, recommendations: [])
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.rescaledTo == nil)
        #expect(fixture.conditions == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/FailedGetPodsMetric"])
    }

    @Test func containerResourceMetrics() async throws {
        let spec = AutoscalingV2.MetricSpec(
            containerResource: AutoscalingV2.ContainerResourceMetricSource(
                container: "app", name: "cpu", target: AutoscalingV2.MetricTarget(averageUtilization: 30, type: "Utilization")),
            type: "ContainerResource")
        let fixture = Fixture(hpa: Fixture.hpa(metrics: [spec]), specReplicas: 3, usage: [300, 500, 700])
        try await fixture.sync()
        #expect(fixture.rescaledTo == 5)
        #expect(fixture.events == ["Normal SuccessfulRescale New size: 5; reason: cpu container resource utilization (percentage of request) above target"])
        let status = try #require(fixture.stored?.status.currentMetrics?.first?.containerResource)
        #expect(status.container == "app")
        #expect(status.current.averageUtilization == 50)
    }

    @Test func aMissingContainerIsAFailedContainerResourceMetric() async throws {
        let spec = AutoscalingV2.MetricSpec(
            containerResource: AutoscalingV2.ContainerResourceMetricSource(
                container: "sidecar", name: "cpu", target: AutoscalingV2.MetricTarget(averageUtilization: 30, type: "Utilization")),
            type: "ContainerResource")
        let fixture = Fixture(hpa: Fixture.hpa(metrics: [spec]), specReplicas: 3, usage: [300, 500, 700])
        await #expect(throws: HorizontalPodAutoscalerError.self) { try await fixture.sync() }
        #expect(fixture.conditions == ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/FailedGetContainerResourceMetric"])
    }
}

/// upstream's limit helpers (`convertDesiredReplicasWithRules`, `calculateScale{Up,Down}Limit…`)
/// and the scale target mapping.
@Suite struct HorizontalPodAutoscalerScaleLimitTests {
    struct RulesCase: Sendable, CustomTestStringConvertible {
        var current: Int32, desired: Int32, min: Int32, max: Int32
        var expected: Int32
        var reason: String
        var testDescription: String { "\(current)->\(desired) in [\(min),\(max)]" }
    }

    static let rulesCases: [RulesCase] = [
        RulesCase(current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: "DesiredWithinRange"),
        RulesCase(current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: "TooFewReplicas"),
        RulesCase(current: 3, desired: 9, min: 2, max: 8, expected: 6, reason: "ScaleUpLimit"),
        RulesCase(current: 1, desired: 9, min: 1, max: 10, expected: 4, reason: "ScaleUpLimit"),
        RulesCase(current: 5, desired: 12, min: 2, max: 8, expected: 8, reason: "TooManyReplicas"),
    ]

    @Test(arguments: rulesCases)
    func withRules(_ testCase: RulesCase) {
        let result = ScaleLimits.withRules(current: testCase.current, desired: testCase.desired, minReplicas: testCase.min,
                                           maxReplicas: testCase.max)
        #expect(result.replicas == testCase.expected)
        #expect(result.reason == testCase.reason)
    }

    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func policy(_ type: String, _ value: Int32, _ period: Int32 = 60) -> AutoscalingV2.HPAScalingPolicy {
        AutoscalingV2.HPAScalingPolicy(periodSeconds: period, type: type, value: value)
    }

    struct RateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var current: Int32
        var policies: [AutoscalingV2.HPAScalingPolicy]
        var select = "Max"
        var upEvents: [(Int32, Double)] = []
        var downEvents: [(Int32, Double)] = []
        var up: Int32?
        var down: Int32?
        var testDescription: String { name }
    }

    static let rateCases: [RateCase] = [
        RateCase(name: "pods and percent, max", current: 10, policies: [policy("Pods", 4), policy("Percent", 100)], up: 20, down: 0),
        RateCase(name: "pods and percent, min", current: 10, policies: [policy("Pods", 4), policy("Percent", 100)], select: "Min",
                 up: 14, down: 6),
        RateCase(name: "percent rounds up on the way up and down on the way down", current: 3,
                 policies: [policy("Percent", 50)], up: 5, down: 1),
        RateCase(name: "scale-ups inside the period count", current: 10, policies: [policy("Pods", 4, 60)],
                 upEvents: [(3, 30)], up: 11, down: 3),
        RateCase(name: "scale-downs inside the period count", current: 10, policies: [policy("Pods", 4, 60)],
                 downEvents: [(3, 30)], up: 17, down: 9),
        RateCase(name: "events outside the period do not", current: 10, policies: [policy("Pods", 4, 60)],
                 upEvents: [(3, 61)], downEvents: [(2, 90)], up: 14, down: 6),
        RateCase(name: "disabled", current: 10, policies: [policy("Pods", 4)], select: "Disabled", up: 10, down: 10),
    ]

    @Test(arguments: rateCases)
    func rateLimits(_ testCase: RateCase) {
        let rules = ScalingRules(stabilizationWindowSeconds: 0, selectPolicy: testCase.select, policies: testCase.policies)
        func events(_ list: [(Int32, Double)]) -> [ScalingHistory.ScaleEvent] {
            list.map { ScalingHistory.ScaleEvent(replicaChange: $0.0, timestamp: Self.now.addingTimeInterval(-$0.1)) }
        }
        let up = events(testCase.upEvents)
        let down = events(testCase.downEvents)
        #expect(ScaleLimits.scaleUpLimit(current: testCase.current, upEvents: up, downEvents: down, rules: rules, now: Self.now)
            == testCase.up)
        #expect(ScaleLimits.scaleDownLimit(current: testCase.current, upEvents: up, downEvents: down, rules: rules, now: Self.now)
            == testCase.down)
    }

    @Test func defaultRulesAreUpstreams() {
        let up = ScalingRules.scaleUp(nil)
        #expect(up.stabilizationWindowSeconds == 0 && up.selectPolicy == "Max")
        #expect(up.policies == [Self.policy("Pods", 4, 15), Self.policy("Percent", 100, 15)])
        let down = ScalingRules.scaleDown(nil, defaultWindow: .seconds(300))
        #expect(down.stabilizationWindowSeconds == 300 && down.selectPolicy == "Max")
        #expect(down.policies == [Self.policy("Percent", 100, 15)])
    }

    @Test func scaleEventsReplaceOutdatedOnes() {
        let history = ScalingHistory()
        history.set("k", scaleUpEvents: [ScalingHistory.ScaleEvent(replicaChange: 2, timestamp: Self.now.addingTimeInterval(-100))])
        history.storeScaleEvent("k", previous: 3, new: 5, longestUpPeriod: 60, longestDownPeriod: 60, now: Self.now)
        #expect(history.scaleUpEvents("k") == [ScalingHistory.ScaleEvent(replicaChange: 2, timestamp: Self.now)])
        history.storeScaleEvent("k", previous: 5, new: 9, longestUpPeriod: 60, longestDownPeriod: 60, now: Self.now)
        #expect(history.scaleUpEvents("k").map(\.replicaChange) == [2, 4])
        history.storeScaleEvent("k", previous: 9, new: 6, longestUpPeriod: 60, longestDownPeriod: 60, now: Self.now)
        #expect(history.scaleDownEvents("k").map(\.replicaChange) == [3])
    }

    @Test func scaleTargets() throws {
        #expect(try HorizontalPodAutoscalerController.scaleResource(apiVersion: "apps/v1", kind: "Deployment").resource == "deployments")
        #expect(try HorizontalPodAutoscalerController.scaleResource(apiVersion: "apps/v1", kind: "StatefulSet").resource == "statefulsets")
        #expect(try HorizontalPodAutoscalerController.scaleResource(apiVersion: "v1", kind: "ReplicationController").resource
            == "replicationcontrollers")
        #expect(throws: HorizontalPodAutoscalerError.self) {
            try HorizontalPodAutoscalerController.scaleResource(apiVersion: "a/b/c", kind: "Deployment")
        }
    }

    @Test func aReplicationControllersScaleHasItsMapSelector() async throws {
        var controller = CoreV1.ReplicationController()
        controller.metadata.name = "rc"
        controller.metadata.namespace = "ns"
        controller.spec = CoreV1.ReplicationControllerSpec(replicas: 2, selector: ["app": "web"])
        let client = RecordingObjectClient(objects: [controller])
        let resource = try HorizontalPodAutoscalerController.scaleResource(apiVersion: "v1", kind: "ReplicationController")
        var scale = try await client.getScale(resource, namespace: "ns", name: "rc")
        #expect(scale.spec.replicas == 2)
        #expect(scale.status.selector == "app=web")
        scale.spec.replicas = 4
        _ = try await client.updateScale(resource, namespace: "ns", scale)
        #expect(client.object(CoreV1.ReplicationController.self, namespace: "ns", name: "rc")?.spec.replicas == 4)
        #expect(client.writes.map(\.description) == ["update ReplicationController/scale ns/rc"])
    }
}
