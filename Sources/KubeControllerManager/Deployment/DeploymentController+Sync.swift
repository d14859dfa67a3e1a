import KubeClient
import KubeModel

extension DeploymentController {
    /// upstream's `syncStatusOnly`: a deployment being deleted only has its status refreshed.
    func syncStatusOnly(_ d: inout AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet]) async throws {
        let (new, old) = try await replicaSetsAndSyncRevision(&d, rsList, create: false)
        try await syncDeploymentStatus(&d, all: old + [new], new: new)
    }

    /// upstream's `sync`: scaling (paused deployments and scaling events) without rollout progress.
    func sync(_ d: inout AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet]) async throws {
        let (new, old) = try await replicaSetsAndSyncRevision(&d, rsList, create: false)
        try await scale(d, new: new, old: old)
        if d.spec.paused == true {
            try await cleanupDeployment(d, old: old)
        }
        try await syncDeploymentStatus(&d, all: old + [new], new: new)
    }

    /// upstream's `checkPausedConditions`: Progressing becomes Unknown/DeploymentPaused when
    /// paused and Unknown/DeploymentResumed when resumed (never over a timeout).
    func checkPausedConditions(_ d: inout AppsV1.Deployment) async throws {
        guard DeploymentUtil.hasProgressDeadline(d) else { return }
        let condition = DeploymentConditions.get(d.status, DeploymentConditions.progressing)
        if condition?.reason == DeploymentConditions.timedOutReason { return }
        let pausedConditionExists = condition?.reason == DeploymentConditions.pausedReason
        let paused = d.spec.paused == true
        if paused && !pausedConditionExists {
            DeploymentConditions.set(&d.status, DeploymentConditions.make(
                DeploymentConditions.progressing, "Unknown", DeploymentConditions.pausedReason, "Deployment is paused", now: now()))
        } else if !paused && pausedConditionExists {
            DeploymentConditions.set(&d.status, DeploymentConditions.make(
                DeploymentConditions.progressing, "Unknown", DeploymentConditions.resumedReason, "Deployment is resumed", now: now()))
        } else {
            return
        }
        try await writeStatus(&d)
    }

    /// upstream's `isScalingEvent`: an active ReplicaSet was sized for a different replica count.
    func isScalingEvent(_ d: inout AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet]) async throws -> Bool {
        let (new, old) = try await replicaSetsAndSyncRevision(&d, rsList, create: false)
        for rs in DeploymentUtil.active(old + [new]) {
            guard let desired = rs.metadata.annotations?[DeploymentUtil.desiredReplicasAnnotation].flatMap({ Int32($0) }) else {
                continue
            }
            if desired != DeploymentUtil.replicas(d) { return true }
        }
        return false
    }

    /// upstream's `scale`: one active set takes the whole count; a saturated new set scales the
    /// old ones to zero; otherwise, rolling, the difference is spread over the active sets in
    /// proportion to their size (leftovers to the largest).
    func scale(_ d: AppsV1.Deployment, new: AppsV1.ReplicaSet?, old: [AppsV1.ReplicaSet]) async throws {
        let wanted = DeploymentUtil.replicas(d)
        if let target = DeploymentUtil.findActiveOrLatest(new, old) {
            if DeploymentUtil.replicas(target) == wanted { return }
            _ = try await scaleReplicaSetAndRecordEvent(target, to: wanted, d)
            return
        }
        if DeploymentUtil.isSaturated(d, new) {
            for rs in DeploymentUtil.active(old) { _ = try await scaleReplicaSetAndRecordEvent(rs, to: 0, d) }
            return
        }
        guard DeploymentUtil.isRollingUpdate(d) else { return }
        for (rs, size, operation) in Self.proportionalSizes(d, new: new, old: old) {
            _ = try await scaleReplicaSet(rs, to: size, d, operation: operation)
        }
    }

    /// The new size of every active set when the rolling deployment `d` is resized mid-rollout.
    static func proportionalSizes(_ d: AppsV1.Deployment, new: AppsV1.ReplicaSet?, old: [AppsV1.ReplicaSet])
        -> [(rs: AppsV1.ReplicaSet, size: Int32, operation: String)] {
        var sets = DeploymentUtil.active(old + [new])
        let current = DeploymentUtil.specReplicas(sets)
        let wanted = DeploymentUtil.replicas(d)
        let allowed = wanted > 0 ? wanted + DeploymentUtil.maxSurge(d) : 0
        let toAdd = allowed - current
        var operation = ""
        if toAdd > 0 {
            sets.sort(by: DeploymentUtil.bySizeNewer)
            operation = "up"
        } else if toAdd < 0 {
            sets.sort(by: DeploymentUtil.bySizeOlder)
            operation = "down"
        }
        var added: Int32 = 0
        var sizes: [Int32] = []
        for rs in sets {
            if toAdd != 0 {
                let proportion = DeploymentUtil.proportion(rs, d, toAdd: toAdd, added: added)
                sizes.append(DeploymentUtil.replicas(rs) + proportion)
                added += proportion
            } else {
                sizes.append(DeploymentUtil.replicas(rs))
            }
        }
        if !sets.isEmpty && toAdd != 0 {
            sizes[0] = max(0, sizes[0] + toAdd - added)
        }
        return zip(sets, sizes).map { ($0, $1, operation) }
    }

    /// Scales `rs` to `size` when it differs, with the `ScalingReplicaSet` event.
    func scaleReplicaSetAndRecordEvent(_ rs: AppsV1.ReplicaSet, to size: Int32, _ d: AppsV1.Deployment)
        async throws -> (scaled: Bool, rs: AppsV1.ReplicaSet) {
        let current = DeploymentUtil.replicas(rs)
        if current == size { return (false, rs) }
        return try await scaleReplicaSet(rs, to: size, d, operation: current < size ? "up" : "down")
    }

    /// upstream's `scaleReplicaSet`: writes the size and the replicas annotations when either
    /// differs; the event only for a size change.
    func scaleReplicaSet(_ rs: AppsV1.ReplicaSet, to size: Int32, _ d: AppsV1.Deployment,
                         operation: String) async throws -> (scaled: Bool, rs: AppsV1.ReplicaSet) {
        let wanted = DeploymentUtil.replicas(d)
        let maxReplicas = wanted + DeploymentUtil.maxSurge(d)
        let oldSize = DeploymentUtil.replicas(rs)
        let sizeNeedsUpdate = oldSize != size
        guard sizeNeedsUpdate || DeploymentUtil.replicasAnnotationsNeedUpdate(rs, desired: wanted, max: maxReplicas) else {
            return (false, rs)
        }
        var copy = rs
        copy.spec.replicas = size
        _ = DeploymentUtil.setReplicasAnnotations(&copy, desired: wanted, max: maxReplicas)
        let updated = try await client.update(copy)
        if sizeNeedsUpdate {
            events.event(d, type: .normal, reason: "ScalingReplicaSet",
                         message: "Scaled \(operation) replica set \(updated.metadata.name ?? "") from \(oldSize) to \(size)")
        }
        return (sizeNeedsUpdate, updated)
    }

    /// upstream's `cleanupDeployment`: deletes the oldest fully scaled-down old sets beyond
    /// `revisionHistoryLimit`.
    func cleanupDeployment(_ d: AppsV1.Deployment, old: [AppsV1.ReplicaSet]) async throws {
        guard DeploymentUtil.hasRevisionHistoryLimit(d) else { return }
        let cleanable = old.filter { $0.metadata.deletionTimestamp == nil }.sorted(by: DeploymentUtil.byRevision)
        let diff = cleanable.count - Int(d.spec.revisionHistoryLimit ?? 0)
        guard diff > 0 else { return }
        for rs in cleanable.prefix(diff) {
            if rs.status.replicas != 0 || DeploymentUtil.replicas(rs) != 0
                || (rs.metadata.generation ?? 0) > (rs.status.observedGeneration ?? 0) || rs.metadata.deletionTimestamp != nil {
                continue
            }
            do {
                try await client.delete(AppsV1.ReplicaSet.self, namespace: rs.metadata.namespace, name: rs.metadata.name ?? "", DeleteOptions())
            } catch let error as StatusError where error.isNotFound {}
        }
    }

    /// upstream's `syncDeploymentStatus`: writes the calculated status when it changed.
    func syncDeploymentStatus(_ d: inout AppsV1.Deployment, all: [AppsV1.ReplicaSet?], new: AppsV1.ReplicaSet?) async throws {
        let status = calculateStatus(d, all: all, new: new)
        if status == d.status { return }
        d.status = status
        try await writeStatus(&d)
    }

    /// upstream's `calculateStatus`: counts over the sets and the Available condition.
    func calculateStatus(_ d: AppsV1.Deployment, all: [AppsV1.ReplicaSet?], new: AppsV1.ReplicaSet?) -> AppsV1.DeploymentStatus {
        let available = DeploymentUtil.availableReplicas(all)
        let unavailable = max(0, DeploymentUtil.specReplicas(all) - available)
        func omitZero(_ value: Int32) -> Int32? { value == 0 ? nil : value }
        var status = AppsV1.DeploymentStatus(
            availableReplicas: omitZero(available), collisionCount: d.status.collisionCount,
            conditions: d.status.conditions, observedGeneration: d.metadata.generation,
            readyReplicas: omitZero(DeploymentUtil.readyReplicas(all)),
            replicas: omitZero(DeploymentUtil.actualReplicas(all)),
            terminatingReplicas: DeploymentUtil.terminatingReplicas(all),
            unavailableReplicas: omitZero(unavailable),
            updatedReplicas: omitZero(DeploymentUtil.actualReplicas([new])))
        if available >= DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d) {
            DeploymentConditions.set(&status, DeploymentConditions.make(
                DeploymentConditions.available, "True", DeploymentConditions.minimumReplicasAvailable,
                "Deployment has minimum availability.", now: now()))
        } else {
            DeploymentConditions.set(&status, DeploymentConditions.make(
                DeploymentConditions.available, "False", DeploymentConditions.minimumReplicasUnavailable,
                "Deployment does not have minimum availability.", now: now()))
        }
        return status
    }
}
