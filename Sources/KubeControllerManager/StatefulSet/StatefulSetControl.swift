import Foundation
import KubeClient
import KubeModel

/// One pass over a StatefulSet and its pods (upstream's `defaultStatefulSetControl`): records
/// the revisions, creates missing pods and replaces failed ones (in ordinal order, each after
/// its predecessors are Running, Ready and available, unless the policy is `Parallel`), deletes
/// pods beyond the replicas from the highest ordinal down, rolls pods at or above the
/// partition to the update revision from the highest ordinal down, and writes the status.
struct StatefulSetControl: Sendable {
    let podControl: StatefulPodControl
    let history: RevisionHistory
    let client: any ObjectClient
    let sets: Lister<AppsV1.StatefulSet>
    let now: @Sendable () -> Date

    /// Syncs `set` with its claimed `pods`; answers the status written.
    func sync(_ set: AppsV1.StatefulSet, pods: [CoreV1.Pod], selector: Labels.Selector) async throws -> AppsV1.StatefulSetStatus? {
        let revisions = ControllerHistory.sorted(history.list(for: set, selector: selector))
        let (current, update, collisionCount) = try await revisionsFor(set, revisions)
        var status: AppsV1.StatefulSetStatus?
        var syncError: (any Error)?
        do {
            status = try await updateStatefulSet(set, current: current, update: update, collisionCount: collisionCount, pods: pods)
        } catch let error as PartialStatus {
            status = error.status
            syncError = error.underlying
        }
        var statusError: (any Error)?
        if var status {
            do {
                try await writeStatus(set, &status)
            } catch {
                statusError = error
            }
        }
        do {
            try await truncateHistory(set, pods: pods, revisions: revisions, current: current, update: update)
        } catch {
            if syncError == nil && statusError == nil { throw error }
        }
        if let syncError { throw syncError }
        if let statusError { throw statusError }
        return status
    }

    /// A sync error that still has a status to write.
    struct PartialStatus: Error {
        var status: AppsV1.StatefulSetStatus
        var underlying: any Error
    }

    // MARK: Status

    static func computeStatus(_ status: inout AppsV1.StatefulSetStatus, minReadySeconds: Int32, current: String, update: String,
                              pods: [CoreV1.Pod], now: Date) {
        var replicas: Int32 = 0, ready: Int32 = 0, available: Int32 = 0, currentCount: Int32 = 0, updated: Int32 = 0
        for pod in pods {
            let created = StatefulSetPods.isCreated(pod)
            if created { replicas += 1 }
            if StatefulSetPods.isRunningAndReady(pod) {
                ready += 1
                if StatefulSetPods.isRunningAndAvailable(pod, minReadySeconds: minReadySeconds, now: now) { available += 1 }
            }
            if created && !StatefulSetPods.isTerminating(pod) {
                let revision = StatefulSetPods.revision(of: pod)
                if revision == current { currentCount += 1 }
                if revision == update { updated += 1 }
            }
        }
        status.replicas = replicas
        status.readyReplicas = ready
        status.availableReplicas = available
        status.currentReplicas = currentCount
        status.updatedReplicas = updated
    }

    /// upstream's `completeRollingUpdate`, then an update only when something changed.
    func writeStatus(_ set: AppsV1.StatefulSet, _ status: inout AppsV1.StatefulSetStatus) async throws {
        let replicas = Int32(StatefulSetPods.replicas(set))
        if (set.spec.updateStrategy?.type ?? "RollingUpdate") == "RollingUpdate",
           status.updatedReplicas == replicas, status.readyReplicas == replicas, status.replicas == replicas {
            status.currentReplicas = status.updatedReplicas
            status.currentRevision = status.updateRevision
        }
        guard Self.inconsistent(set.status, status) else { return }
        var target = set
        for attempt in 0..<5 {
            target.status = status
            do {
                _ = try await client.updateStatus(target)
                return
            } catch let error as StatusError where error.isConflict && attempt < 4 {
                target = try await client.get(AppsV1.StatefulSet.self, namespace: set.metadata.namespace, name: set.metadata.name ?? "")
            }
        }
    }

    static func inconsistent(_ old: AppsV1.StatefulSetStatus, _ new: AppsV1.StatefulSetStatus) -> Bool {
        (new.observedGeneration ?? 0) > (old.observedGeneration ?? 0)
            || new.replicas != old.replicas
            || (new.currentReplicas ?? 0) != (old.currentReplicas ?? 0)
            || (new.readyReplicas ?? 0) != (old.readyReplicas ?? 0)
            || (new.updatedReplicas ?? 0) != (old.updatedReplicas ?? 0)
            || (new.currentRevision ?? "") != (old.currentRevision ?? "")
            || (new.availableReplicas ?? 0) != (old.availableReplicas ?? 0)
            || (new.updateRevision ?? "") != (old.updateRevision ?? "")
            || (new.collisionCount ?? 0) != (old.collisionCount ?? 0)
    }

    // MARK: The update

    /// upstream's `updateStatefulSet`.
    func updateStatefulSet(
        _ set: AppsV1.StatefulSet, current: AppsV1.ControllerRevision, update: AppsV1.ControllerRevision,
        collisionCount: Int32, pods: [CoreV1.Pod]
    ) async throws -> AppsV1.StatefulSetStatus {
        let currentSet = Self.apply(current, to: set)
        let updateSet = Self.apply(update, to: set)
        let currentName = current.metadata.name ?? ""
        let updateName = update.metadata.name ?? ""
        let minReady = set.spec.minReadySeconds ?? 0
        let now = self.now()

        var status = AppsV1.StatefulSetStatus(replicas: 0)
        status.observedGeneration = set.metadata.generation
        status.currentRevision = currentName
        status.updateRevision = updateName
        status.collisionCount = collisionCount
        Self.computeStatus(&status, minReadySeconds: minReady, current: currentName, update: updateName, pods: pods, now: now)

        let start = StatefulSetPods.startOrdinal(set)
        let replicaCount = StatefulSetPods.replicas(set)
        var slots: [CoreV1.Pod?] = Array(repeating: nil, count: replicaCount)
        var condemned: [CoreV1.Pod] = []
        for pod in pods {
            let ordinal = StatefulSetPods.ordinal(pod)
            if StatefulSetPods.inOrdinalRange(pod, set) {
                slots[ordinal - start] = pod
            } else if ordinal >= 0 {
                condemned.append(pod)
            }
        }
        var replicas: [CoreV1.Pod] = []
        for (index, slot) in slots.enumerated() {
            replicas.append(slot ?? StatefulSetPods.newVersionedPod(
                current: currentSet, update: updateSet, currentRevision: currentName, updateRevision: updateName,
                ordinal: start + index))
        }
        condemned.sort { StatefulSetPods.ordinal($0) > StatefulSetPods.ordinal($1) }

        var firstUnhealthy: CoreV1.Pod?
        for pod in replicas where !StatefulSetPods.isHealthy(pod) {
            firstUnhealthy = firstUnhealthy ?? pod
        }
        for pod in condemned.reversed() where !StatefulSetPods.isHealthy(pod) {
            firstUnhealthy = firstUnhealthy ?? pod
        }

        if set.metadata.deletionTimestamp != nil { return status }
        let monotonic = set.spec.podManagementPolicy != "Parallel"
        func finish() -> AppsV1.StatefulSetStatus {
            var final = status
            Self.computeStatus(&final, minReadySeconds: minReady, current: currentName, update: updateName,
                               pods: replicas + condemned, now: now)
            return final
        }

        // Living replicas first.
        do {
            let exit = try await Self.runForAll(replicas.indices.map { $0 }, monotonic: monotonic) { index in
                try await processReplica(set, updateSet: updateSet, monotonic: monotonic, replica: replicas[index], now: now)
            }
            if exit { return finish() }
        } catch {
            throw PartialStatus(status: finish(), underlying: error)
        }

        // Claims of condemned pods follow the retention policy.
        do {
            let exit = try await Self.runForAll(condemned.indices.map { $0 }, monotonic: monotonic) { index in
                if !podControl.claimsMatchRetention(updateSet, condemned[index]) {
                    try await podControl.updateClaimsForRetention(updateSet, condemned[index])
                }
                return false
            }
            if exit { return finish() }
        } catch {
            throw PartialStatus(status: finish(), underlying: error)
        }

        // Scale down, highest ordinal first.
        do {
            let exit = try await Self.runForAll(condemned.indices.map { $0 }, monotonic: monotonic) { index in
                let pod = condemned[index]
                if StatefulSetPods.isTerminating(pod) { return monotonic }
                let isFirstUnhealthy = pod.metadata.name == firstUnhealthy?.metadata.name
                if monotonic && !isFirstUnhealthy {
                    if !StatefulSetPods.isRunningAndReady(pod) { return true }
                    if !StatefulSetPods.isRunningAndAvailable(pod, minReadySeconds: minReady, now: now) { return true }
                }
                try await podControl.deletePod(set, pod)
                return true
            }
            if exit { return finish() }
        } catch {
            throw PartialStatus(status: finish(), underlying: error)
        }

        status = finish()
        if set.spec.updateStrategy?.type == "OnDelete" { return status }
        return try await rollingUpdate(set, replicas: replicas, updateRevision: updateName, status: status)
    }

    /// upstream's `processReplica`: true when the pass must stop here.
    func processReplica(_ set: AppsV1.StatefulSet, updateSet: AppsV1.StatefulSet, monotonic: Bool,
                        replica: CoreV1.Pod, now: Date) async throws -> Bool {
        if StatefulSetPods.isFailed(replica) || StatefulSetPods.isSucceeded(replica) {
            if replica.metadata.deletionTimestamp == nil { try await podControl.deletePod(set, replica) }
            return true
        }
        if !StatefulSetPods.isCreated(replica) {
            if podControl.claimIsStale(set, replica) { return true }
            try await podControl.createPod(set, replica)
            if monotonic { return true }
            return false
        }
        if StatefulSetPods.isPending(replica) {
            try await podControl.createClaims(set, replica)
            try await podControl.updateClaimsForRetention(set, replica)
        }
        if StatefulSetPods.isTerminating(replica) && monotonic { return true }
        if !StatefulSetPods.isRunningAndReady(replica) && monotonic { return true }
        if !StatefulSetPods.isRunningAndAvailable(replica, minReadySeconds: set.spec.minReadySeconds ?? 0, now: now) && monotonic {
            return true
        }
        let retentionMatches = podControl.claimsMatchRetention(updateSet, replica)
        if StatefulSetPods.identityMatches(set, replica) && StatefulSetPods.storageMatches(set, replica) && retentionMatches {
            return false
        }
        try await podControl.updatePod(updateSet, replica)
        return false
    }

    /// Rolling update with `maxUnavailable` (1 by default) from the highest ordinal down to
    /// the partition (upstream's `updateStatefulSetAfterInvariantEstablished`).
    func rollingUpdate(_ set: AppsV1.StatefulSet, replicas: [CoreV1.Pod], updateRevision: String,
                       status: AppsV1.StatefulSetStatus) async throws -> AppsV1.StatefulSetStatus {
        var status = status
        var updateMin = 0
        var maxUnavailable = 1
        if let rolling = set.spec.updateStrategy?.rollingUpdate {
            updateMin = Int(rolling.partition ?? 0)
            let value = rolling.maxUnavailable ?? .int(1)
            maxUnavailable = max(1, (try? value.scaledValue(total: replicas.count, roundUp: false)) ?? 1)
        }
        let unavailable = replicas.filter { !StatefulSetPods.isHealthy($0) }.count
        if unavailable >= maxUnavailable { return status }
        let toDelete = maxUnavailable - unavailable
        var deleted = 0
        var target = replicas.count - 1
        while target >= updateMin && deleted < toDelete {
            let pod = replicas[target]
            if StatefulSetPods.revision(of: pod) != updateRevision && !StatefulSetPods.isTerminating(pod) {
                do {
                    try await podControl.deletePod(set, pod)
                } catch let error as StatusError where error.isNotFound {
                } catch {
                    throw PartialStatus(status: status, underlying: error)
                }
                deleted += 1
                status.currentReplicas = (status.currentReplicas ?? 0) - 1
            }
            target -= 1
        }
        return status
    }

    /// Runs `body` over `items`: in order, stopping at the first that asks to (monotonic), or in
    /// slow-start batches of 1, 2, 4, … that stop after a batch with an error (parallel).
    static func runForAll(_ items: [Int], monotonic: Bool, _ body: (Int) async throws -> Bool) async throws -> Bool {
        if monotonic {
            for item in items where try await body(item) { return true }
            return false
        }
        var index = 0
        var batch = 1
        while index < items.count {
            let end = min(items.count, index + batch)
            var firstError: (any Error)?
            for item in items[index..<end] {
                do { _ = try await body(item) } catch { firstError = firstError ?? error }
            }
            if let firstError { throw firstError }
            index = end
            batch *= 2
        }
        return false
    }

    /// The set with the template a revision records.
    static func apply(_ revision: AppsV1.ControllerRevision, to set: AppsV1.StatefulSet) -> AppsV1.StatefulSet {
        var copy = set
        if let template = ControllerHistory.template(from: revision) { copy.spec.template = template }
        return copy
    }
}
