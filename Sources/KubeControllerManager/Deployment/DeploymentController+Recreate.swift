import KubeModel

extension DeploymentController {
    /// upstream's `rolloutRecreate`: every old set to zero, wait until no old pod runs, then
    /// the new set (made only now) to the full count.
    func rolloutRecreate(_ d: inout AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet],
                         podMap: [String: [CoreV1.Pod]]) async throws {
        var (new, old) = try await replicaSetsAndSyncRevision(&d, rsList, create: false)
        var scaledDown = false
        for (index, rs) in old.enumerated() where DeploymentUtil.replicas(rs) != 0 {
            let result = try await scaleReplicaSetAndRecordEvent(rs, to: 0, d)
            if result.scaled {
                old[index] = result.rs
                scaledDown = true
            }
        }
        if scaledDown || Self.oldPodsRunning(new: new, old: old, podMap: podMap) {
            return try await syncRolloutStatus(&d, all: old + [new], new: new)
        }
        if new == nil {
            (new, old) = try await replicaSetsAndSyncRevision(&d, rsList, create: true)
        }
        if let current = new {
            new = try await scaleReplicaSetAndRecordEvent(current, to: DeploymentUtil.replicas(d), d).rs
        }
        if DeploymentUtil.isComplete(d, d.status) {
            try await cleanupDeployment(d, old: old)
        }
        try await syncRolloutStatus(&d, all: old + [new], new: new)
    }

    /// upstream's `oldPodsRunning`: old sets still report pods, or a pod of an old set is not finished.
    static func oldPodsRunning(new: AppsV1.ReplicaSet?, old: [AppsV1.ReplicaSet], podMap: [String: [CoreV1.Pod]]) -> Bool {
        if DeploymentUtil.actualReplicas(old) > 0 { return true }
        for (uid, pods) in podMap where new == nil || new?.metadata.uid != uid {
            for pod in pods where pod.status.phase != "Failed" && pod.status.phase != "Succeeded" {
                return true
            }
        }
        return false
    }
}
