import KubeModel

extension DeploymentController {
    /// upstream's `rolloutRolling`: scale the new set up within maxSurge, else the old sets
    /// down within maxUnavailable, then report progress.
    func rolloutRolling(_ d: inout AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet]) async throws {
        let (created, old) = try await replicaSetsAndSyncRevision(&d, rsList, create: true)
        guard var new = created else { return }
        var all: [AppsV1.ReplicaSet?] = old + [new]
        let (scaledUp, scaledNew) = try await reconcileNewReplicaSet(d, all: all, new: new)
        new = scaledNew
        all = old + [new]
        if scaledUp {
            return try await syncRolloutStatus(&d, all: all, new: new)
        }
        if try await reconcileOldReplicaSets(d, all: all, old: DeploymentUtil.active(old), new: new) {
            return try await syncRolloutStatus(&d, all: all, new: new)
        }
        if DeploymentUtil.isComplete(d, d.status) {
            try await cleanupDeployment(d, old: old)
        }
        try await syncRolloutStatus(&d, all: all, new: new)
    }

    /// upstream's `reconcileNewReplicaSet`: the new set's target size (never above the
    /// deployment's replicas, grown as far as maxSurge allows).
    func reconcileNewReplicaSet(_ d: AppsV1.Deployment, all: [AppsV1.ReplicaSet?], new: AppsV1.ReplicaSet)
        async throws -> (scaled: Bool, rs: AppsV1.ReplicaSet) {
        let wanted = DeploymentUtil.replicas(d)
        let current = DeploymentUtil.replicas(new)
        if current == wanted { return (false, new) }
        if current > wanted { return try await scaleReplicaSetAndRecordEvent(new, to: wanted, d) }
        let size = try DeploymentUtil.newRSNewReplicas(d, all: all, new: new)
        return try await scaleReplicaSetAndRecordEvent(new, to: size, d)
    }

    /// upstream's `reconcileOldReplicaSets`: as many old replicas go as keep
    /// `replicas - maxUnavailable` available, unhealthy ones first.
    func reconcileOldReplicaSets(_ d: AppsV1.Deployment, all: [AppsV1.ReplicaSet?], old: [AppsV1.ReplicaSet],
                                 new: AppsV1.ReplicaSet) async throws -> Bool {
        let oldPods = DeploymentUtil.specReplicas(old)
        if oldPods == 0 { return false }
        let allPods = DeploymentUtil.specReplicas(all)
        let minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d)
        let newUnavailable = DeploymentUtil.replicas(new) - (new.status.availableReplicas ?? 0)
        let maxScaledDown = allPods - minAvailable - newUnavailable
        if maxScaledDown <= 0 { return false }
        let (cleaned, cleanupCount) = try await cleanupUnhealthyReplicas(d, old: old, maxCleanup: maxScaledDown)
        let scaledDown = try await scaleDownOldReplicaSetsForRollingUpdate(d, all: cleaned + [new], old: cleaned)
        return cleanupCount + scaledDown > 0
    }

    /// upstream's `cleanupUnhealthyReplicas`: scales old sets down by their unavailable
    /// replicas, oldest first, at most `maxCleanup` in all.
    func cleanupUnhealthyReplicas(_ d: AppsV1.Deployment, old: [AppsV1.ReplicaSet], maxCleanup: Int32)
        async throws -> (old: [AppsV1.ReplicaSet], scaledDown: Int32) {
        var sets = old.sorted(by: DeploymentUtil.byCreation)
        var total: Int32 = 0
        for index in sets.indices {
            if total >= maxCleanup { break }
            let rs = sets[index]
            let size = DeploymentUtil.replicas(rs)
            let available = rs.status.availableReplicas ?? 0
            if size == 0 || size == available { continue }
            let count = min(maxCleanup - total, size - available)
            let newSize = size - count
            if newSize > size {
                throw DeploymentError("when cleaning up unhealthy replicas, got invalid request to scale down \(rs.metadata.namespace ?? "")/\(rs.metadata.name ?? "") \(size) -> \(newSize)")
            }
            sets[index] = try await scaleReplicaSetAndRecordEvent(rs, to: newSize, d).rs
            total += count
        }
        return (sets, total)
    }

    /// upstream's `scaleDownOldReplicaSetsForRollingUpdate`: scales old sets down, oldest
    /// first, by as many replicas as are available beyond the minimum.
    func scaleDownOldReplicaSetsForRollingUpdate(_ d: AppsV1.Deployment, all: [AppsV1.ReplicaSet?],
                                                 old: [AppsV1.ReplicaSet]) async throws -> Int32 {
        let minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d)
        let available = DeploymentUtil.availableReplicas(all)
        if available <= minAvailable { return 0 }
        let totalToScaleDown = available - minAvailable
        var total: Int32 = 0
        for rs in old.sorted(by: DeploymentUtil.byCreation) {
            if total >= totalToScaleDown { break }
            let size = DeploymentUtil.replicas(rs)
            if size == 0 { continue }
            let count = min(size, totalToScaleDown - total)
            let newSize = size - count
            if newSize > size {
                throw DeploymentError("when scaling down old RS, got invalid request to scale down \(rs.metadata.namespace ?? "")/\(rs.metadata.name ?? "") \(size) -> \(newSize)")
            }
            _ = try await scaleReplicaSetAndRecordEvent(rs, to: newSize, d)
            total += count
        }
        return total
    }
}
