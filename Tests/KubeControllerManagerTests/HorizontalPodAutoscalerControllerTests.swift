import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream horizontal_test.go's scaling cases, over a Deployment's scale subresource with
/// cpu metrics from an in-memory metrics source.
@Suite struct HorizontalPodAutoscalerControllerTests {
    typealias Fixture = HorizontalPodAutoscalerFixture
    typealias Event = ScalingHistory.ScaleEvent

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var hpa: AutoscalingV2.HorizontalPodAutoscaler
        var specReplicas: Int32
        var usage: [Int64]
        /// Recommendations (replicas, seconds ago) to start from; nil: none recorded yet.
        var recommendations: [(Int32, Double)]?
        var scaleUpEvents: [(Int32, Double)] = []
        var scaleDownEvents: [(Int32, Double)] = []
        var rescaledTo: Int32?
        var desired: Int32
        var conditions: [String]
        var events: [String] = []
        var testDescription: String { name }
    }

    static let utilization = "cpu resource utilization (percentage of request)"
    static let defaultBehavior = AutoscalingV2.HorizontalPodAutoscalerBehavior()

    static func rules(window: Int32? = nil, select: String? = nil,
                      policies: [AutoscalingV2.HPAScalingPolicy]? = nil) -> AutoscalingV2.HPAScalingRules {
        AutoscalingV2.HPAScalingRules(policies: policies, selectPolicy: select, stabilizationWindowSeconds: window)
    }

    static let cases: [Case] = [
        Case(name: "scale up", hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 30), specReplicas: 3, usage: [300, 500, 700],
             rescaledTo: 5, desired: 5,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"],
             events: ["Normal SuccessfulRescale New size: 5; reason: \(utilization) above target"]),
        Case(name: "scale down", hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 50), specReplicas: 5,
             usage: [100, 300, 500, 250, 250], recommendations: [], rescaledTo: 3, desired: 3,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"],
             events: ["Normal SuccessfulRescale New size: 3; reason: All metrics below target"]),
        Case(name: "scale down stabilized by the recent recommendation", hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 50),
             specReplicas: 5, usage: [100, 300, 500, 250, 250], desired: 5,
             conditions: ["AbleToScale=True/ScaleDownStabilized", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"]),
        Case(name: "expired recommendations do not stabilize", hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 50),
             specReplicas: 5, usage: [100, 300, 500, 250, 250], recommendations: [(5, 301), (6, 400)], rescaledTo: 3, desired: 3,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"],
             events: ["Normal SuccessfulRescale New size: 3; reason: All metrics below target"]),
        Case(name: "within tolerance", hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 100), specReplicas: 3,
             usage: [1010, 1030, 1020], desired: 3,
             conditions: ["AbleToScale=True/ReadyForNewScale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"]),
        Case(name: "min replicas", hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 50), specReplicas: 2, usage: [10, 10],
             recommendations: [], desired: 2,
             conditions: ["AbleToScale=True/ReadyForNewScale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/TooFewReplicas"]),
        Case(name: "max replicas", hpa: Fixture.hpa(min: 2, max: 5, cpuUtilization: 30), specReplicas: 3, usage: [1000, 1000, 1000],
             rescaledTo: 5, desired: 5,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/TooManyReplicas"],
             events: ["Normal SuccessfulRescale New size: 5; reason: \(utilization) above target"]),
        Case(name: "at most double without a behavior", hpa: Fixture.hpa(min: 2, max: 20, cpuUtilization: 10), specReplicas: 3,
             usage: [1000, 1000, 1000], rescaledTo: 6, desired: 6,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/ScaleUpLimit"],
             events: ["Normal SuccessfulRescale New size: 6; reason: \(utilization) above target"]),
        Case(name: "current above max", hpa: Fixture.hpa(min: 2, max: 6), specReplicas: 8, usage: [], rescaledTo: 6, desired: 6,
             conditions: ["AbleToScale=True/SucceededRescale"],
             events: ["Normal SuccessfulRescale New size: 6; reason: Current number of replicas above Spec.MaxReplicas"]),
        Case(name: "current below min", hpa: Fixture.hpa(min: 2, max: 6), specReplicas: 1, usage: [], rescaledTo: 2, desired: 2,
             conditions: ["AbleToScale=True/SucceededRescale"],
             events: ["Normal SuccessfulRescale New size: 2; reason: Current number of replicas below Spec.MinReplicas"]),
        Case(name: "scaled to zero disables scaling", hpa: Fixture.hpa(min: 1, max: 6), specReplicas: 0, usage: [], desired: 0,
             conditions: ["AbleToScale=True/SucceededGetScale", "ScalingActive=False/ScalingDisabled"]),
        Case(name: "average value", hpa: Fixture.hpa(min: 2, max: 6, metrics: [Fixture.cpu(averageValue: "100m")]), specReplicas: 3,
             usage: [300, 500, 700], rescaledTo: 6, desired: 6,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/TooManyReplicas"],
             events: ["Normal SuccessfulRescale New size: 6; reason: cpu resource above target"]),
        Case(name: "average value within tolerance", hpa: Fixture.hpa(min: 2, max: 6, metrics: [Fixture.cpu(averageValue: "500m")]),
             specReplicas: 3, usage: [300, 500, 700], desired: 3,
             conditions: ["AbleToScale=True/ReadyForNewScale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"]),
        Case(name: "behavior: default scale-up policies (4 pods or 100 %, the larger)",
             hpa: Fixture.hpa(min: 1, max: 100, cpuUtilization: 10, behavior: defaultBehavior), specReplicas: 3,
             usage: [1000, 1000, 1000], rescaledTo: 7, desired: 7,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/ScaleUpLimit"],
             events: ["Normal SuccessfulRescale New size: 7; reason: \(utilization) above target"]),
        Case(name: "behavior: default scale-down stabilization",
             hpa: Fixture.hpa(min: 1, max: 10, cpuUtilization: 50, behavior: defaultBehavior), specReplicas: 5,
             usage: [100, 100, 100, 100, 100], desired: 5,
             conditions: ["AbleToScale=True/ScaleDownStabilized", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"]),
        Case(name: "behavior: scale-down pods policy",
             hpa: Fixture.hpa(min: 1, max: 10, cpuUtilization: 50, behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior(
                scaleDown: rules(window: 0, policies: [AutoscalingV2.HPAScalingPolicy(periodSeconds: 60, type: "Pods", value: 1)]))),
             specReplicas: 5, usage: [100, 100, 100, 100, 100], recommendations: [], rescaledTo: 4, desired: 4,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/ScaleDownLimit"],
             events: ["Normal SuccessfulRescale New size: 4; reason: All metrics below target"]),
        Case(name: "behavior: scale-down events of the period count",
             hpa: Fixture.hpa(min: 1, max: 10, cpuUtilization: 50, behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior(
                scaleDown: rules(window: 0, policies: [AutoscalingV2.HPAScalingPolicy(periodSeconds: 60, type: "Percent", value: 50)]))),
             specReplicas: 5, usage: [100, 100, 100, 100, 100], recommendations: [], scaleDownEvents: [(5, 30)], desired: 5,
             conditions: ["AbleToScale=True/ReadyForNewScale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/ScaleDownLimit"]),
        Case(name: "behavior: scale down disabled",
             hpa: Fixture.hpa(min: 1, max: 10, cpuUtilization: 50, behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior(
                scaleDown: rules(window: 0, select: "Disabled"))),
             specReplicas: 5, usage: [100, 100, 100, 100, 100], recommendations: [], desired: 5,
             conditions: ["AbleToScale=True/ReadyForNewScale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/ScaleDownLimit"]),
        Case(name: "behavior: scale up disabled",
             hpa: Fixture.hpa(min: 1, max: 10, cpuUtilization: 30, behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior(
                scaleUp: rules(select: "Disabled"))),
             specReplicas: 3, usage: [300, 500, 700], desired: 3,
             conditions: ["AbleToScale=True/ReadyForNewScale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/ScaleUpLimit"]),
        Case(name: "behavior: scale-up events of the period count",
             hpa: Fixture.hpa(min: 1, max: 100, cpuUtilization: 10, behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior(
                scaleUp: rules(policies: [AutoscalingV2.HPAScalingPolicy(periodSeconds: 60, type: "Pods", value: 4)]))),
             specReplicas: 7, usage: Array(repeating: 1000, count: 7), scaleUpEvents: [(4, 5)], desired: 7,
             conditions: ["AbleToScale=True/ReadyForNewScale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=True/ScaleUpLimit"]),
        Case(name: "behavior: scale-up stabilization window",
             hpa: Fixture.hpa(min: 1, max: 100, cpuUtilization: 10, behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior(
                scaleUp: rules(window: 60))),
             specReplicas: 3, usage: [1000, 1000, 1000], recommendations: [(4, 30)], rescaledTo: 4, desired: 4,
             conditions: ["AbleToScale=True/SucceededRescale", "ScalingActive=True/ValidMetricFound", "ScalingLimited=False/DesiredWithinRange"],
             events: ["Normal SuccessfulRescale New size: 4; reason: \(utilization) above target"]),
    ]

    @Test(arguments: cases)
    func reconcile(_ testCase: Case) async throws {
        let fixture = Fixture(hpa: testCase.hpa, specReplicas: testCase.specReplicas, usage: testCase.usage)
        let now = Fixture.now
        func events(_ list: [(Int32, Double)]) -> [Event] {
            list.map { Event(replicaChange: $0.0, timestamp: now.addingTimeInterval(-$0.1)) }
        }
        fixture.controller.history.set(
            Fixture.key,
            recommendations: testCase.recommendations.map { list in
                list.map { ScalingHistory.Recommendation(replicas: $0.0, timestamp: now.addingTimeInterval(-$0.1)) }
            },
            scaleUpEvents: events(testCase.scaleUpEvents), scaleDownEvents: events(testCase.scaleDownEvents))
        try await fixture.sync()

        #expect(fixture.rescaledTo == testCase.rescaledTo)
        #expect(fixture.conditions == testCase.conditions)
        #expect(fixture.events == testCase.events)
        let status = try #require(fixture.stored?.status)
        #expect(status.currentReplicas == testCase.specReplicas)
        #expect(status.desiredReplicas == testCase.desired)
        #expect(status.lastScaleTime == (testCase.rescaledTo == nil ? nil : MetaV1.Time(now)))
        if let rescaled = testCase.rescaledTo {
            let deployment = fixture.harness.client.object(AppsV1.Deployment.self, namespace: Fixture.namespace, name: "test-deployment")
            #expect(deployment?.spec.replicas == rescaled)
        }
    }

    @Test func statusReportsTheCurrentMetrics() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 30), specReplicas: 3, usage: [300, 500, 700])
        try await fixture.sync()
        let metrics = try #require(fixture.stored?.status.currentMetrics)
        #expect(metrics.count == 1)
        #expect(metrics.first?.type == "Resource")
        #expect(metrics.first?.resource?.name == "cpu")
        #expect(metrics.first?.resource?.current.averageUtilization == 50)
        #expect(metrics.first?.resource?.current.averageValue == Quantity(milli: 500))
        #expect(fixture.condition("ScalingActive")?.message == "the HPA was able to successfully calculate a replica count from \(Self.utilization)")
        #expect(fixture.condition("AbleToScale")?.message == "the HPA controller was able to update the target scale to 5")
        #expect(fixture.condition("AbleToScale")?.lastTransitionTime == MetaV1.Time(Fixture.now))
    }

    @Test func anUnchangedStatusIsNotWritten() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 100), specReplicas: 3, usage: [1010, 1030, 1020])
        try await fixture.sync()
        let first = try #require(fixture.stored)
        fixture.harness.cache(first)
        fixture.harness.client.clearActions()
        try await fixture.sync()
        #expect(fixture.harness.client.writes.isEmpty)
    }

    @Test func reconcileComesBackEverySyncPeriodAndForgetsDeletedAutoscalers() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 100), specReplicas: 3, usage: [1010, 1030, 1020])
        await #expect(throws: RequeueAfter.self) { try await fixture.controller.reconcile(Fixture.key) }
        #expect(!fixture.controller.history.recommendations(Fixture.key).isEmpty)
        // An autoscaler no longer in the cache: its history goes, and no pass is queued.
        fixture.harness.informers.informer(AutoscalingV2.HorizontalPodAutoscaler.self).indexer.delete(fixture.stored!)
        try await fixture.controller.reconcile(Fixture.key)
        #expect(fixture.controller.history.recommendations(Fixture.key).isEmpty)
    }

    @Test func theConfiguredSyncPeriodIsTheRequeueDelay() async throws {
        let fixture = Fixture(hpa: Fixture.hpa(min: 2, max: 6, cpuUtilization: 100), specReplicas: 3, usage: [1010, 1030, 1020])
        var configuration = ControllerManager.Configuration()
        configuration.horizontalPodAutoscaler.syncPeriod = .seconds(2)
        let context = ControllerContext(informers: fixture.harness.informers, client: fixture.harness.client,
                                        events: fixture.harness.events, logger: .init(label: "test"), configuration: configuration)
        let controller = HorizontalPodAutoscalerController(context: context, metrics: fixture.metrics, clock: { Fixture.now })
        do {
            try await controller.reconcile(Fixture.key)
            Issue.record("expected a requeue")
        } catch let requeue as RequeueAfter {
            #expect(requeue.delay == .seconds(2))
        }
    }
}
