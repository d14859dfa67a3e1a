import Foundation
import KubeClient
import KubeModel
import Synchronization

/// The client side of `skiff bench controllers`: a Deployment to roll out and roll, bare pods
/// to fill the cluster, and polls of the Deployment's status.
struct ControllerLoad {
    let client: RESTClient
    let namespace: String

    /// A Deployment of `replicas` small pods (10m cpu, 16Mi), RollingUpdate with upstream's
    /// default 25 % / 25 %.
    static func deployment(_ name: String, replicas: Int32) -> AppsV1.Deployment {
        var container = CoreV1.Container(name: "app")
        container.image = "registry.k8s.io/pause:3.10"
        container.resources = CoreV1.ResourceRequirements(requests: ["cpu": "10m", "memory": "16Mi"])
        var template = CoreV1.PodTemplateSpec()
        template.metadata = MetaV1.ObjectMeta(labels: ["app": name])
        template.spec = CoreV1.PodSpec(containers: [container])
        var deployment = AppsV1.Deployment()
        deployment.metadata = MetaV1.ObjectMeta(name: name, namespace: nil)
        deployment.spec = AppsV1.DeploymentSpec(
            replicas: replicas, selector: MetaV1.LabelSelector(matchLabels: ["app": name]), template: template)
        return deployment
    }

    /// What was seen while waiting for a Deployment.
    struct Rollout {
        var elapsed: Duration
        var minimumAvailable: Int32
        var maximumPods: Int
        var finished: Bool
    }

    /// Polls the Deployment every 250 ms until its status shows `replicas` updated and
    /// available pods for its latest generation, or `timeout` passes.
    func waitForRollout(_ name: String, replicas: Int32, timeout: Duration) async throws -> Rollout {
        let deployments = client.resource(AppsV1.Deployment.self, namespace: namespace)
        let clock = ContinuousClock()
        let start = clock.now
        var minimumAvailable = Int32.max
        var maximumPods = 0
        while clock.now - start < timeout {
            let deployment = try await deployments.get(name)
            let status = deployment.status
            let current = (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
            minimumAvailable = min(minimumAvailable, status.availableReplicas ?? 0)
            maximumPods = max(maximumPods, Int(status.replicas ?? 0))
            if current, status.updatedReplicas == replicas, status.availableReplicas == replicas, status.replicas == replicas {
                return Rollout(elapsed: clock.now - start, minimumAvailable: minimumAvailable, maximumPods: maximumPods, finished: true)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        return Rollout(elapsed: clock.now - start, minimumAvailable: minimumAvailable, maximumPods: maximumPods, finished: false)
    }

    /// Changes the Deployment's pod template (as `kubectl rollout restart` does).
    func restart(_ name: String) async throws {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let body = #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"\#(stamp)"}}}}}"#
        _ = try await client.resource(AppsV1.Deployment.self, namespace: namespace)
            .patch(name, type: "application/strategic-merge-patch+json", body: Array(body.utf8))
    }

    /// Creates `count` bare pods already placed on `nodes` round-robin (no scheduler, no owner),
    /// with `clients` concurrent creators.
    func createPlacedPods(_ count: Int, nodes: [String], clients: Int) async throws {
        let pods = client.resource(CoreV1.Pod.self, namespace: namespace)
        let counter = CreationCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    while true {
                        let index = counter.next.add(1, ordering: .relaxed).oldValue
                        guard index < count else { return }
                        var pod = CoreV1.Pod()
                        pod.metadata.name = "idle-\(index)"
                        pod.metadata.labels = ["bench": "idle"]
                        var container = CoreV1.Container(name: "app")
                        container.image = "registry.k8s.io/pause:3.10"
                        pod.spec.containers = [container]
                        pod.spec.nodeName = nodes[index % nodes.count]
                        _ = try await pods.create(pod)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// The next pod index, shared by the creators.
private final class CreationCounter: Sendable {
    let next = Atomic<Int>(0)
}
