import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct ResourceQuotaControllerTests {
    static func quota(_ hard: [String: Quantity], scopes: [String]? = nil) -> CoreV1.ResourceQuota {
        var quota = CoreV1.ResourceQuota()
        quota.metadata = MetaV1.ObjectMeta(name: "q", namespace: "ns")
        quota.spec.hard = hard
        quota.spec.scopes = scopes
        return quota
    }

    static func pod(_ name: String, cpu: Quantity? = nil, phase: String = "Running", namespace: String = "ns") -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata = MetaV1.ObjectMeta(name: name, namespace: namespace)
        var container = CoreV1.Container(name: "app")
        if let cpu { container.resources = CoreV1.ResourceRequirements(requests: ["cpu": cpu]) }
        pod.spec.containers = [container]
        pod.status.phase = phase
        return pod
    }

    @Test func statusUsedCountsWhatTheNamespaceHolds() async throws {
        var deployment = AppsV1.Deployment()
        deployment.metadata = MetaV1.ObjectMeta(name: "web", namespace: "ns")
        var configMap = CoreV1.ConfigMap()
        configMap.metadata = MetaV1.ObjectMeta(name: "settings", namespace: "ns")
        let quota = Self.quota(["pods": "10", "requests.cpu": "4", "count/deployments.apps": "5", "configmaps": "3", "services": "2"])
        let harness = ControllerTestHarness(objects: [quota, deployment, configMap])
        let controller = ResourceQuotaController(context: harness.context)
        harness.cache(quota)
        harness.cache(Self.pod("a", cpu: "500m"), Self.pod("b", cpu: "250m"), Self.pod("done", cpu: "1", phase: "Succeeded"),
                      Self.pod("elsewhere", cpu: "1", namespace: "other"))
        try await controller.reconcile("ns/q")
        let status = try #require(harness.client.object(CoreV1.ResourceQuota.self, namespace: "ns", name: "q")).status
        #expect(status.hard == quota.spec.hard)
        #expect(status.used?.mapValues(\.description) == [
            "pods": "2", "requests.cpu": "750m", "count/deployments.apps": "1", "configmaps": "1", "services": "0",
        ])
    }

    @Test func scopedQuotasCountOnlyMatchingPods() async throws {
        let quota = Self.quota(["pods": "10"], scopes: ["BestEffort"])
        let harness = ControllerTestHarness(objects: [quota])
        let controller = ResourceQuotaController(context: harness.context)
        harness.cache(quota)
        harness.cache(Self.pod("best-effort"), Self.pod("burstable", cpu: "1"))
        try await controller.reconcile("ns/q")
        let status = try #require(harness.client.object(CoreV1.ResourceQuota.self, namespace: "ns", name: "q")).status
        #expect(status.used?["pods"]?.description == "1")
    }

    @Test func anUnchangedStatusIsNotWritten() async throws {
        var quota = Self.quota(["pods": "10"])
        quota.status = CoreV1.ResourceQuotaStatus(hard: ["pods": "10"], used: ["pods": "1"])
        let harness = ControllerTestHarness(objects: [quota])
        let controller = ResourceQuotaController(context: harness.context)
        harness.cache(quota)
        harness.cache(Self.pod("a"))
        try await controller.reconcile("ns/q")
        #expect(harness.client.writes.isEmpty)
    }
}
