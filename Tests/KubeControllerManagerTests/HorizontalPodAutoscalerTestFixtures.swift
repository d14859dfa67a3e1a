import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Logging

/// An autoscaler over Deployment `test-namespace/test-deployment`, whose pods (`test-pod-N`,
/// one container requesting 1 cpu, ready for 10 minutes) report the given cpu usage.
struct HorizontalPodAutoscalerFixture {
    static let namespace = "test-namespace"
    static let key = "test-namespace/test-hpa"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    let harness: ControllerTestHarness
    let metrics: StaticResourceMetricsSource
    let controller: HorizontalPodAutoscalerController

    init(hpa: AutoscalingV2.HorizontalPodAutoscaler, specReplicas: Int32, statusReplicas: Int32? = nil,
         usage: [Int64], selector: Bool = true, deployment: Bool = true, now: Date = Self.now) {
        var objects: [any KubeObject] = [hpa]
        if deployment { objects.append(Self.deployment(replicas: specReplicas, statusReplicas: statusReplicas ?? specReplicas, selector: selector)) }
        harness = ControllerTestHarness(objects: objects)
        metrics = StaticResourceMetricsSource(usage.enumerated().map { Self.podMetrics("test-pod-\($0.offset)", cpu: $0.element, now: now) })
        let context = ControllerContext(informers: harness.informers, client: harness.client, events: harness.events,
                                        logger: Logger(label: "test"))
        controller = HorizontalPodAutoscalerController(context: context, metrics: metrics, clock: { now })
        harness.cache(hpa)
        for index in usage.indices { harness.cache(Self.pod("test-pod-\(index)", now: now)) }
    }

    static func hpa(min: Int32? = 2, max: Int32 = 6, cpuUtilization: Int32? = 30,
                    metrics: [AutoscalingV2.MetricSpec]? = nil,
                    behavior: AutoscalingV2.HorizontalPodAutoscalerBehavior? = nil) -> AutoscalingV2.HorizontalPodAutoscaler {
        var hpa = AutoscalingV2.HorizontalPodAutoscaler()
        hpa.metadata.name = "test-hpa"
        hpa.metadata.namespace = namespace
        hpa.metadata.resourceVersion = "1"
        hpa.spec.scaleTargetRef = AutoscalingV2.CrossVersionObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "test-deployment")
        hpa.spec.minReplicas = min
        hpa.spec.maxReplicas = max
        hpa.spec.metrics = metrics ?? cpuUtilization.map { [cpu(utilization: $0)] } ?? []
        hpa.spec.behavior = behavior
        return hpa
    }

    static func cpu(utilization: Int32) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(resource: AutoscalingV2.ResourceMetricSource(
            name: "cpu", target: AutoscalingV2.MetricTarget(averageUtilization: utilization, type: "Utilization")), type: "Resource")
    }

    static func cpu(averageValue: String) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(resource: AutoscalingV2.ResourceMetricSource(
            name: "cpu", target: AutoscalingV2.MetricTarget(averageValue: Quantity.mustParse(averageValue), type: "AverageValue")),
            type: "Resource")
    }

    static func deployment(replicas: Int32, statusReplicas: Int32, selector: Bool) -> AppsV1.Deployment {
        var deployment = AppsV1.Deployment()
        deployment.metadata.name = "test-deployment"
        deployment.metadata.namespace = namespace
        deployment.metadata.resourceVersion = "5"
        deployment.spec.replicas = replicas
        if selector { deployment.spec.selector = MetaV1.LabelSelector(matchLabels: ["name": "test-pod"]) }
        deployment.status.replicas = statusReplicas
        return deployment
    }

    static func pod(_ name: String, now: Date) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = namespace
        pod.metadata.labels = ["name": "test-pod"]
        pod.spec.containers = [CoreV1.Container(name: "app", resources: CoreV1.ResourceRequirements(requests: ["cpu": "1"]))]
        pod.status.phase = "Running"
        pod.status.startTime = MetaV1.Time(now.addingTimeInterval(-600))
        pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: MetaV1.Time(now.addingTimeInterval(-590)), status: "True",
                                                     type: "Ready")]
        return pod
    }

    static func podMetrics(_ name: String, cpu: Int64, now: Date) -> MetricsV1beta1.PodMetrics {
        var metadata = MetaV1.ObjectMeta()
        metadata.name = name
        metadata.namespace = namespace
        metadata.labels = ["name": "test-pod"]
        return MetricsV1beta1.PodMetrics(metadata: metadata, timestamp: MetaV1.Time(now.addingTimeInterval(-5)), window: "30s",
                                         containers: [MetricsV1beta1.ContainerMetrics(name: "app", usage: ["cpu": Quantity(milli: cpu)])])
    }

    /// The autoscaler as the client holds it after the pass.
    var stored: AutoscalingV2.HorizontalPodAutoscaler? {
        harness.client.object(AutoscalingV2.HorizontalPodAutoscaler.self, namespace: Self.namespace, name: "test-hpa")
    }

    /// `Type=Status/Reason` of each condition after the pass.
    var conditions: [String] {
        (stored?.status.conditions ?? []).map { "\($0.type)=\($0.status)/\($0.reason ?? "")" }
    }

    func condition(_ type: String) -> AutoscalingV2.HorizontalPodAutoscalerCondition? {
        stored?.status.conditions?.first { $0.type == type }
    }

    /// The replicas written through the scale subresource, if any.
    var rescaledTo: Int32? {
        guard let write = harness.client.writes.last(where: { $0.subresource == "scale" }) else { return nil }
        guard case .int(let replicas)? = write.body?["spec"]?["replicas"] else { return nil }
        return Int32(replicas)
    }

    var events: [String] { harness.events.events.map(\.description) }

    struct Missing: Error {}

    /// One pass of the autoscaler (errors are the pass's failures, as upstream's `reconcileAutoscaler` returns them).
    func sync() async throws {
        guard let hpa = controller.autoscalers.get(namespace: Self.namespace, name: "test-hpa") else { throw Missing() }
        try await controller.reconcileAutoscaler(hpa, key: Self.key)
    }
}
