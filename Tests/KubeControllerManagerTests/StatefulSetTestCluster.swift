import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel

/// A StatefulSet controller over a recording client whose writes are copied back into the
/// informer caches after each pass (a stand-in for the watch), with the pod handlers fed the
/// pods that appeared, changed or went away.
struct StatefulSetTestCluster {
    let harness = ControllerTestHarness()
    let controller: StatefulSetController

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        controller = StatefulSetController(context: harness.context, now: now)
    }

    static func set(_ name: String = "web", replicas: Int32, policy: String = "OrderedReady", image: String = "app:1",
                    partition: Int32? = nil, updateType: String = "RollingUpdate", claims: [String] = [],
                    retention: (whenDeleted: String, whenScaled: String)? = nil) -> AppsV1.StatefulSet {
        var set = AppsV1.StatefulSet()
        set.metadata.name = name
        set.metadata.namespace = "default"
        set.metadata.uid = "uid-\(name)"
        set.metadata.generation = 1
        set.spec.replicas = replicas
        set.spec.serviceName = name
        set.spec.podManagementPolicy = policy
        set.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": name])
        set.spec.template = template(name, image: image)
        var strategy = AppsV1.StatefulSetUpdateStrategy()
        strategy.type = updateType
        if updateType == "RollingUpdate" {
            strategy.rollingUpdate = AppsV1.RollingUpdateStatefulSetStrategy(partition: partition ?? 0)
        }
        set.spec.updateStrategy = strategy
        set.spec.revisionHistoryLimit = 10
        set.spec.volumeClaimTemplates = claims.map { claimName in
            var claim = CoreV1.PersistentVolumeClaim()
            claim.metadata.name = claimName
            claim.spec.accessModes = ["ReadWriteOnce"]
            return claim
        }
        if let retention {
            set.spec.persistentVolumeClaimRetentionPolicy = AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy(
                whenDeleted: retention.whenDeleted, whenScaled: retention.whenScaled)
        }
        return set
    }

    static func template(_ app: String, image: String) -> CoreV1.PodTemplateSpec {
        var template = CoreV1.PodTemplateSpec()
        template.metadata = MetaV1.ObjectMeta(labels: ["app": app])
        template.spec = CoreV1.PodSpec(containers: [CoreV1.Container(image: image, name: "app")])
        return template
    }

    /// Stores `set` on the server and in the cache.
    func apply(_ set: AppsV1.StatefulSet) {
        var stored = set
        if let current = harness.client.object(AppsV1.StatefulSet.self, namespace: "default", name: set.metadata.name ?? "") {
            stored.status = current.status
            if current.spec.template != set.spec.template { stored.metadata.generation = (current.metadata.generation ?? 1) + 1 }
        }
        harness.client.seed(stored)
        harness.cache(stored)
    }

    /// One pass, then the writes copied into the caches.
    @discardableResult
    func sync(_ name: String = "web") async throws -> [RecordingObjectClient.Action] {
        harness.client.clearActions()
        try await controller.reconcile("default/\(name)")
        mirror()
        return harness.client.writes
    }

    /// Copies the server's objects into the caches, feeding the pod handlers.
    func mirror() {
        let podIndexer = harness.informers.informer(CoreV1.Pod.self).indexer
        let cached = Dictionary(uniqueKeysWithValues: harness.informers.informer(CoreV1.Pod.self).lister.list().map { ($0.metadata.name ?? "", $0) })
        // The API server starts every pod Pending.
        for var pod in harness.client.objects(CoreV1.Pod.self) where pod.status.phase == nil {
            pod.status.phase = "Pending"
            harness.client.seed(pod)
        }
        let stored = harness.client.objects(CoreV1.Pod.self)
        for pod in stored {
            podIndexer.upsert(pod)
            if let old = cached[pod.metadata.name ?? ""] {
                if old.metadata.resourceVersion != pod.metadata.resourceVersion { controller.podEvents.updated(old, pod) }
            } else {
                controller.podEvents.added(pod)
            }
        }
        let storedNames = Set(stored.compactMap(\.metadata.name))
        for (name, pod) in cached where !storedNames.contains(name) {
            podIndexer.delete(pod)
            controller.podEvents.deleted(pod)
        }
        harness.informers.informer(CoreV1.PersistentVolumeClaim.self).indexer.replace(with: harness.client.objects(CoreV1.PersistentVolumeClaim.self))
        harness.informers.informer(AppsV1.ControllerRevision.self).indexer.replace(with: harness.client.objects(AppsV1.ControllerRevision.self))
        harness.informers.informer(AppsV1.StatefulSet.self).indexer.replace(with: harness.client.objects(AppsV1.StatefulSet.self))
    }

    /// Marks the named pods Running and Ready (as a kubelet would), or Failed.
    func setPhase(_ names: [String], phase: String = "Running", ready: Bool = true) {
        for name in names {
            guard var pod = harness.client.object(CoreV1.Pod.self, namespace: "default", name: name) else { continue }
            pod.status.phase = phase
            pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: .now(), status: ready ? "True" : "False", type: "Ready")]
            pod.metadata.resourceVersion = String(Int(pod.metadata.resourceVersion ?? "0")! + 1000)
            harness.client.seed(pod)
        }
        mirror()
    }

    /// Marks every pod on the server Running and Ready.
    func readyAll() { setPhase(harness.client.objects(CoreV1.Pod.self).compactMap(\.metadata.name)) }

    var podNames: [String] { harness.client.objects(CoreV1.Pod.self).compactMap(\.metadata.name).sorted() }

    func pod(_ name: String) -> CoreV1.Pod? { harness.client.object(CoreV1.Pod.self, namespace: "default", name: name) }

    var storedSet: AppsV1.StatefulSet? { harness.client.object(AppsV1.StatefulSet.self, namespace: "default", name: "web") }

    static func describe(_ actions: [RecordingObjectClient.Action]) -> [String] { actions.map(\.description) }
}
