import Foundation
import KubeModel

extension DeploymentController {
    /// upstream's `syncRolloutStatus`: the status with the Progressing condition brought up
    /// to date (complete, progressing or timed out) and the ReplicaSets' failures; when nothing
    /// changed, a stuck rollout is looked at again when its deadline passes.
    func syncRolloutStatus(_ d: inout AppsV1.Deployment, all: [AppsV1.ReplicaSet?], new: AppsV1.ReplicaSet?) async throws {
        var status = calculateStatus(d, all: all, new: new)
        if !DeploymentUtil.hasProgressDeadline(d) {
            DeploymentConditions.remove(&status, DeploymentConditions.progressing)
        }
        let current = DeploymentConditions.get(d.status, DeploymentConditions.progressing)
        let isCompleteDeployment = (status.replicas ?? 0) == (status.updatedReplicas ?? 0)
            && current?.reason == DeploymentConditions.newRSAvailableReason
        if DeploymentUtil.hasProgressDeadline(d) && !isCompleteDeployment {
            let subject = new.map { "ReplicaSet \"\($0.metadata.name ?? "")\"" } ?? "Deployment \"\(d.metadata.name ?? "")\""
            if DeploymentUtil.isComplete(d, status) {
                DeploymentConditions.set(&status, DeploymentConditions.make(
                    DeploymentConditions.progressing, "True", DeploymentConditions.newRSAvailableReason,
                    "\(subject) has successfully progressed.", now: now()))
            } else if DeploymentUtil.isProgressing(d, status) {
                var condition = DeploymentConditions.make(
                    DeploymentConditions.progressing, "True", DeploymentConditions.replicaSetUpdatedReason,
                    "\(subject) is progressing.", now: now())
                if let current {
                    if current.status == "True" { condition.lastTransitionTime = current.lastTransitionTime }
                    DeploymentConditions.remove(&status, DeploymentConditions.progressing)
                }
                DeploymentConditions.set(&status, condition)
            } else if DeploymentUtil.hasTimedOut(d, status, now: now()) {
                DeploymentConditions.set(&status, DeploymentConditions.make(
                    DeploymentConditions.progressing, "False", DeploymentConditions.timedOutReason,
                    "\(subject) has timed out progressing.", now: now()))
            }
        }
        if let failure = Self.replicaFailures(all: all, new: new).first {
            DeploymentConditions.set(&status, failure)
        } else {
            DeploymentConditions.remove(&status, DeploymentConditions.replicaFailure)
        }
        if status == d.status {
            requeueStuckDeployment(d, status)
            return
        }
        d.status = status
        try await writeStatus(&d)
    }

    /// The ReplicaFailure conditions of the new set, else of all sets.
    static func replicaFailures(all: [AppsV1.ReplicaSet?], new: AppsV1.ReplicaSet?) -> [AppsV1.DeploymentCondition] {
        let fromNew = (new?.status.conditions ?? []).filter { $0.type == "ReplicaFailure" }.map(DeploymentConditions.fromReplicaSet)
        if !fromNew.isEmpty { return fromNew }
        return all.compactMap { $0 }.flatMap { rs in
            (rs.status.conditions ?? []).filter { $0.type == "ReplicaFailure" }.map(DeploymentConditions.fromReplicaSet)
        }
    }

    /// upstream's `requeueStuckDeployment`: an unfinished rollout is queued again once its
    /// Progressing condition is `progressDeadlineSeconds` old. Answers the delay (nil: none).
    @discardableResult
    func requeueStuckDeployment(_ d: AppsV1.Deployment, _ status: AppsV1.DeploymentStatus) -> Duration? {
        guard DeploymentUtil.hasProgressDeadline(d),
              let current = DeploymentConditions.get(d.status, DeploymentConditions.progressing),
              !DeploymentUtil.isComplete(d, status), current.reason != DeploymentConditions.timedOutReason,
              let lastUpdate = current.lastUpdateTime else { return nil }
        let deadline = lastUpdate.date.addingTimeInterval(TimeInterval(d.spec.progressDeadlineSeconds ?? 0))
        let after = deadline.timeIntervalSince(now())
        let key = ObjectKeys.key(of: d)
        if after < 1 {
            queue.addAfter(key, .seconds(1))
            return .zero
        }
        let delay = Duration.milliseconds(Int64((after + 1) * 1000))
        queue.addAfter(key, delay)
        return .milliseconds(Int64(after * 1000))
    }
}
