import Foundation
import KubeModel

extension ReplicaSetController {
    /// upstream's `calculateStatus`: the counts of the claimed active pods and the
    /// `ReplicaFailure` condition (set on a failed create or delete, removed after a clean pass).
    /// Zero counts are left out, as upstream's `omitempty` fields.
    static func calculateStatus(_ owner: Owner, pods: [CoreV1.Pod], terminating: Int,
                                manageError: (any Error)?, now: Date) -> AppsV1.ReplicaSetStatus {
        var status = owner.replicaStatus
        let templateLabels = Labels.Selector(matching: owner.podTemplate?.metadata?.labels ?? [:])
        var fullyLabeled: Int32 = 0, ready: Int32 = 0, available: Int32 = 0
        for pod in pods {
            if templateLabels.matches(pod.metadata.labels ?? [:]) { fullyLabeled += 1 }
            if PodReadiness.isReady(pod) {
                ready += 1
                if PodReadiness.isAvailable(pod, minReadySeconds: owner.minReadySeconds, now: now) { available += 1 }
            }
        }
        let failure = status.conditions?.first { $0.type == "ReplicaFailure" }
        if let manageError, failure == nil {
            let diff = pods.count - Int(owner.desiredReplicas)
            let reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : ""
            var condition = AppsV1.ReplicaSetCondition(
                lastTransitionTime: MetaV1.Time(now), message: text(of: manageError), reason: reason,
                status: "True", type: "ReplicaFailure")
            if reason.isEmpty { condition.reason = nil }
            status.conditions = (status.conditions ?? []) + [condition]
        } else if manageError == nil, failure != nil {
            status.conditions = status.conditions?.filter { $0.type != "ReplicaFailure" }
            if status.conditions?.isEmpty == true { status.conditions = nil }
        }
        status.replicas = Int32(pods.count)
        status.fullyLabeledReplicas = fullyLabeled == 0 ? nil : fullyLabeled
        status.readyReplicas = ready == 0 ? nil : ready
        status.availableReplicas = available == 0 ? nil : available
        status.terminatingReplicas = Int32(terminating)
        return status
    }

    /// upstream's `updateReplicaSetStatus`: writes `status` with the owner's generation as
    /// observed, unless nothing changed; one retry after a conflict, on a fresh GET.
    func updateStatus(_ owner: Owner, to status: AppsV1.ReplicaSetStatus) async throws -> Owner {
        var status = status
        let current = owner.replicaStatus
        let generation = owner.metadata.generation
        if current.replicas == status.replicas, (current.fullyLabeledReplicas ?? 0) == (status.fullyLabeledReplicas ?? 0),
           (current.readyReplicas ?? 0) == (status.readyReplicas ?? 0),
           (current.availableReplicas ?? 0) == (status.availableReplicas ?? 0),
           current.observedGeneration == generation, current.conditions == status.conditions,
           current.terminatingReplicas == status.terminatingReplicas || Owner.self != AppsV1.ReplicaSet.self {
            return owner
        }
        status.observedGeneration = generation
        var target = owner
        var attempt = 0
        while true {
            target.replicaStatus = status
            do {
                return try await client.updateStatus(target)
            } catch {
                if attempt >= Self.statusUpdateRetries { throw error }
                attempt += 1
                target = try await client.get(Owner.self, namespace: owner.metadata.namespace, name: owner.metadata.name ?? "")
            }
        }
    }
}
