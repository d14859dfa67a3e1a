import Foundation
import KubeClient
import KubeModel

extension DaemonSetController {
    /// upstream's `updateDaemonSetStatus`: counts per node that should run the pod (scheduled,
    /// ready, available, updated, by the oldest pod there) and pods on nodes that should not
    /// (misscheduled); written when changed, then another pass after minReadySeconds while
    /// ready pods are not yet available.
    func updateStatus(_ ds: AppsV1.DaemonSet, nodes nodeList: [CoreV1.Node], hash: String, selector: Labels.Selector,
                      updateObservedGeneration: Bool) async throws {
        let byNode = try await nodesToDaemonPods(ds, selector: selector)
        let status = Self.computeStatus(ds, nodes: nodeList, byNode: byNode, hash: hash, now: now(),
                                        observedGeneration: updateObservedGeneration ? ds.metadata.generation : ds.status.observedGeneration)
        if Self.statusChanged(ds.status, status) {
            var target = ds
            for attempt in 0..<5 {
                target.status = Self.merged(target.status, status)
                do {
                    _ = try await client.updateStatus(target)
                    break
                } catch let error as StatusError where error.isConflict && attempt < 4 {
                    target = try await client.get(AppsV1.DaemonSet.self, namespace: ds.metadata.namespace, name: ds.metadata.name ?? "")
                }
            }
        }
        let minReady = ds.spec.minReadySeconds ?? 0
        if minReady > 0 && status.numberReady != (status.numberAvailable ?? 0) {
            queue.addAfter(ObjectKeys.key(of: ds), .seconds(Int64(minReady)))
        }
    }

    static func computeStatus(_ ds: AppsV1.DaemonSet, nodes: [CoreV1.Node], byNode: [String: [CoreV1.Pod]], hash: String,
                              now: Date, observedGeneration: Int64?) -> AppsV1.DaemonSetStatus {
        var desired: Int32 = 0, current: Int32 = 0, misscheduled: Int32 = 0
        var ready: Int32 = 0, available: Int32 = 0, updated: Int32 = 0
        let generation = DaemonPodTemplate.templateGeneration(ds)
        for node in nodes {
            let shouldRun = DaemonSetPlacement.shouldRun(node, ds).shouldRun
            let pods = byNode[node.metadata.name ?? ""] ?? []
            if shouldRun {
                desired += 1
                guard let pod = pods.sorted(by: olderFirst).first else { continue }
                current += 1
                if PodReadiness.isReady(pod) {
                    ready += 1
                    if PodReadiness.isAvailable(pod, minReadySeconds: ds.spec.minReadySeconds ?? 0, now: now) { available += 1 }
                }
                if DaemonPodTemplate.isUpdated(pod, hash: hash, generation: generation) { updated += 1 }
            } else if !pods.isEmpty {
                misscheduled += 1
            }
        }
        var status = AppsV1.DaemonSetStatus()
        status.desiredNumberScheduled = desired
        status.currentNumberScheduled = current
        status.numberMisscheduled = misscheduled
        status.numberReady = ready
        status.updatedNumberScheduled = updated
        status.numberAvailable = available
        status.numberUnavailable = desired - available
        status.observedGeneration = observedGeneration
        status.collisionCount = ds.status.collisionCount
        return status
    }

    static func statusChanged(_ old: AppsV1.DaemonSetStatus, _ new: AppsV1.DaemonSetStatus) -> Bool {
        old.desiredNumberScheduled != new.desiredNumberScheduled || old.currentNumberScheduled != new.currentNumberScheduled
            || old.numberMisscheduled != new.numberMisscheduled || old.numberReady != new.numberReady
            || (old.updatedNumberScheduled ?? 0) != (new.updatedNumberScheduled ?? 0)
            || (old.numberAvailable ?? 0) != (new.numberAvailable ?? 0)
            || (old.numberUnavailable ?? 0) != (new.numberUnavailable ?? 0)
            || (old.observedGeneration ?? 0) != (new.observedGeneration ?? 0)
    }

    /// The counts of `new` over `base` (its conditions and collision count kept).
    static func merged(_ base: AppsV1.DaemonSetStatus, _ new: AppsV1.DaemonSetStatus) -> AppsV1.DaemonSetStatus {
        var status = base
        status.desiredNumberScheduled = new.desiredNumberScheduled
        status.currentNumberScheduled = new.currentNumberScheduled
        status.numberMisscheduled = new.numberMisscheduled
        status.numberReady = new.numberReady
        status.updatedNumberScheduled = new.updatedNumberScheduled
        status.numberAvailable = new.numberAvailable
        status.numberUnavailable = new.numberUnavailable
        status.observedGeneration = new.observedGeneration
        return status
    }
}
