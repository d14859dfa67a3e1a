import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel

/// A DaemonSet controller over a recording client whose writes are copied back into the
/// informer caches after each pass, with the pod handlers fed what changed; pods get bound to
/// their pinned node as the scheduler would.
struct DaemonSetTestCluster {
    let harness = ControllerTestHarness()
    let controller: DaemonSetController

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        controller = DaemonSetController(context: harness.context, now: now)
    }

    static func daemonSet(_ name: String = "agent", image: String = "app:1", maxUnavailable: IntOrString? = .int(1),
                          maxSurge: IntOrString? = .int(0), updateType: String = "RollingUpdate",
                          generation: Int64 = 1) -> AppsV1.DaemonSet {
        var ds = AppsV1.DaemonSet()
        ds.metadata.name = name
        ds.metadata.namespace = "default"
        ds.metadata.uid = "uid-\(name)"
        ds.metadata.generation = generation
        ds.metadata.annotations = ["deprecated.daemonset.template.generation": String(generation)]
        ds.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": name])
        ds.spec.template = StatefulSetTestCluster.template(name, image: image)
        var strategy = AppsV1.DaemonSetUpdateStrategy()
        strategy.type = updateType
        if updateType == "RollingUpdate" {
            strategy.rollingUpdate = AppsV1.RollingUpdateDaemonSet(maxSurge: maxSurge, maxUnavailable: maxUnavailable)
        }
        ds.spec.updateStrategy = strategy
        ds.spec.revisionHistoryLimit = 10
        return ds
    }

    static func node(_ name: String, labels: [String: String] = [:], taints: [CoreV1.Taint] = []) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        node.metadata.labels = labels.merging(["kubernetes.io/hostname": name]) { a, _ in a }
        node.spec.taints = taints.isEmpty ? nil : taints
        return node
    }

    func apply(_ ds: AppsV1.DaemonSet) {
        var stored = ds
        if let current = harness.client.object(AppsV1.DaemonSet.self, namespace: "default", name: ds.metadata.name ?? "") {
            stored.status = current.status
        }
        harness.client.seed(stored)
        harness.cache(stored)
    }

    func addNodes(_ nodes: CoreV1.Node...) {
        for node in nodes { harness.cache(node) }
    }

    func removeNode(_ name: String) {
        harness.informers.informer(CoreV1.Node.self).indexer.delete(key: name)
    }

    @discardableResult
    func sync(_ name: String = "agent") async throws -> [RecordingObjectClient.Action] {
        harness.client.clearActions()
        try await controller.reconcile("default/\(name)")
        bindPods()
        mirror()
        return harness.client.writes
    }

    /// Sets `spec.nodeName` from the pinned node, as the scheduler's binding would.
    func bindPods() {
        for var pod in harness.client.objects(CoreV1.Pod.self) where (pod.spec.nodeName ?? "").isEmpty {
            guard let node = DaemonPodTemplate.targetNodeName(pod),
                  harness.informers.informer(CoreV1.Node.self).lister.get(name: node) != nil else { continue }
            pod.spec.nodeName = node
            harness.client.seed(pod)
        }
    }

    func mirror() {
        let podIndexer = harness.informers.informer(CoreV1.Pod.self).indexer
        let cached = Dictionary(uniqueKeysWithValues: harness.informers.informer(CoreV1.Pod.self).lister.list().map { ($0.metadata.name ?? "", $0) })
        let stored = harness.client.objects(CoreV1.Pod.self)
        for pod in stored {
            podIndexer.upsert(pod)
            if let old = cached[pod.metadata.name ?? ""] {
                if old != pod { controller.podEvents.updated(old, pod) }
            } else {
                controller.podEvents.added(pod)
            }
        }
        let storedNames = Set(stored.compactMap(\.metadata.name))
        for (name, pod) in cached where !storedNames.contains(name) {
            podIndexer.delete(pod)
            controller.podEvents.deleted(pod)
        }
        harness.informers.informer(AppsV1.ControllerRevision.self).indexer.replace(with: harness.client.objects(AppsV1.ControllerRevision.self))
        harness.informers.informer(AppsV1.DaemonSet.self).indexer.replace(with: harness.client.objects(AppsV1.DaemonSet.self))
    }

    /// Marks pods Running and Ready (or another phase) as the kubelet would.
    func setPhase(_ names: [String], phase: String = "Running", ready: Bool = true) {
        for name in names {
            guard var pod = harness.client.object(CoreV1.Pod.self, namespace: "default", name: name) else { continue }
            pod.status.phase = phase
            pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: MetaV1.Time(Date().addingTimeInterval(-60)),
                                                         status: ready ? "True" : "False", type: "Ready")]
            pod.metadata.resourceVersion = String(Int(pod.metadata.resourceVersion ?? "0")! + 1000)
            harness.client.seed(pod)
        }
        mirror()
    }

    func readyAll() { setPhase(harness.client.objects(CoreV1.Pod.self).compactMap(\.metadata.name)) }

    var pods: [CoreV1.Pod] { harness.client.objects(CoreV1.Pod.self) }

    /// The nodes that have a pod, sorted.
    var podNodes: [String] { pods.compactMap { DaemonPodTemplate.targetNodeName($0) }.sorted() }

    var storedDaemonSet: AppsV1.DaemonSet? { harness.client.object(AppsV1.DaemonSet.self, namespace: "default", name: "agent") }
}
