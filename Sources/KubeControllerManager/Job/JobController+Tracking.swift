import Foundation
import KubeClient
import KubeModel

/// Counting finished pods without losing or double-counting any (upstream's
/// `trackJobStatusAndRemoveFinalizers`): finished pods go into
/// `status.uncountedTerminatedPods` (written first), then their finalizers are removed, then
/// they move into `succeeded`/`failed`; only when none is uncounted and none is terminating
/// does the Job get `Complete` or `Failed`.
extension JobController {
    func trackStatusAndRemoveFinalizers(_ state: inout JobSyncState, key: String, needsFlush initialFlush: Bool) async throws {
        var needsFlush = initialFlush
        let indexed = JobSpecs.isIndexed(state.job)
        if indexed {
            state.pods.sort { (JobPods.completionIndex($0) ?? -1) < (JobPods.completionIndex($1) ?? -1) }
        }
        var withFinalizer = Set(state.pods.filter {
            JobPods.hasTrackingFinalizer($0) && !state.expectedRemovedFinalizers.contains($0.metadata.uid ?? "")
        }.compactMap(\.metadata.uid))
        if Self.countPodsWithoutFinalizers(&state.job.status, withFinalizer: withFinalizer) { needsFlush = true }
        var uncounted = state.job.status.uncountedTerminatedPods ?? BatchV1.UncountedTerminatedPods()
        var toRemoveFinalizer: [CoreV1.Pod] = []
        var newSucceededIndexes: [Int] = []
        var reachedMaxUncounted = false
        for pod in state.pods {
            let uid = pod.metadata.uid ?? ""
            guard JobPods.hasTrackingFinalizer(pod), !state.expectedRemovedFinalizers.contains(uid) else { continue }
            let podFailed = JobPods.isFailed(pod, state.job)
            guard canRemoveFinalizer(state, pod, podFailed: podFailed) else { continue }
            toRemoveFinalizer.append(pod)
            if JobPods.isSucceeded(pod) && !state.uncountedFailed.contains(uid) {
                if indexed {
                    if let index = JobPods.completionIndex(pod), index < state.completions,
                       !state.previousSucceededIndexes.contains(index) {
                        newSucceededIndexes.append(index)
                        needsFlush = true
                    }
                } else if !state.uncountedSucceeded.contains(uid) {
                    needsFlush = true
                    uncounted.succeeded = (uncounted.succeeded ?? []) + [uid]
                }
            } else if podFailed || (state.finishedCondition.map { $0.type != "SuccessCriteriaMet" } ?? false) {
                // Once the Job is finishing as failed, every pod not succeeded counts as failed.
                let index = JobPods.completionIndex(pod)
                if !state.uncountedFailed.contains(uid) && (!indexed || (index.map { $0 < state.completions } ?? false)) {
                    if JobPodFailurePolicy.match(state.job.spec.podFailurePolicy, pod).countsFailure {
                        needsFlush = true
                        uncounted.failed = (uncounted.failed ?? []) + [uid]
                    }
                }
            }
            if newSucceededIndexes.count + (uncounted.succeeded?.count ?? 0) + (uncounted.failed?.count ?? 0) >= Self.maxUncountedPods {
                reachedMaxUncounted = true
                break
            }
        }
        state.job.status.uncountedTerminatedPods = uncounted
        if indexed {
            state.succeededIndexes = state.succeededIndexes.adding(newSucceededIndexes.sorted())
            let completed = state.succeededIndexes.description
            if completed != (state.job.status.completedIndexes ?? "") { needsFlush = true }
            state.job.status.succeeded = Int32(state.succeededIndexes.total)
            state.job.status.completedIndexes = completed
            let failed = state.failedIndexes?.description
            if failed != state.job.status.failedIndexes {
                state.job.status.failedIndexes = failed
                needsFlush = true
            }
        }
        let now = self.now()
        if let finished = state.finishedCondition, finished.type == "FailureTarget" {
            // Recorded before the finalizers go, so the reason survives; Failed follows later.
            state.job.status.conditions = (state.job.status.conditions ?? []) + [finished]
            needsFlush = true
            state.finishedCondition = JobSpecs.newCondition("Failed", reason: finished.reason ?? "", message: finished.message ?? "", now: now)
        }
        if let finished = state.finishedCondition, finished.type == "SuccessCriteriaMet", finished.status == "True" {
            if JobSpecs.condition(state.job, "SuccessCriteriaMet")?.status != "True" {
                state.job.status.conditions = (state.job.status.conditions ?? []) + [finished]
                needsFlush = true
            }
            state.finishedCondition = JobSpecs.newCondition("Complete", reason: finished.reason ?? "", message: finished.message ?? "", now: now)
        }
        needsFlush = try await flushUncountedAndRemoveFinalizers(&state, key: key, toRemoveFinalizer, withFinalizer: &withFinalizer,
                                                                 needsFlush: needsFlush)
        let finished = !reachedMaxUncounted && enactJobFinished(&state, now: now)
        if finished { needsFlush = true }
        if needsFlush {
            state.job = try await client.updateStatus(state.job)
            if finished, let condition = state.finishedCondition { recordJobFinished(state.job, condition) }
        }
    }

    /// A pod's finalizer may go once the Job is being deleted or finishing, the pod
    /// succeeded, or it failed (unless kept until its index's replacement exists).
    func canRemoveFinalizer(_ state: JobSyncState, _ pod: CoreV1.Pod, podFailed: Bool) -> Bool {
        if state.job.metadata.deletionTimestamp != nil || state.finishedCondition != nil || JobPods.isSucceeded(pod) { return true }
        guard podFailed else { return false }
        if JobSpecs.hasBackoffLimitPerIndex(state.job), let index = JobPods.completionIndex(pod),
           let kept = state.podsWithDelayedDeletionPerIndex[index], kept.metadata.uid == pod.metadata.uid {
            return false
        }
        return true
    }

    /// Writes the status with the new uncounted UIDs, removes the finalizers, then counts
    /// the pods whose finalizer is gone; answers whether the status still needs writing.
    func flushUncountedAndRemoveFinalizers(_ state: inout JobSyncState, key: String, _ targets: [CoreV1.Pod],
                                           withFinalizer: inout Set<String>, needsFlush: Bool) async throws -> Bool {
        var needsFlush = needsFlush
        if needsFlush {
            state.job = try await client.updateStatus(state.job)
            backoff.update(key, state.newBackoffRecord)
            needsFlush = false
        }
        var removalError: (any Error)?
        if !targets.isEmpty {
            let (removed, error) = await removeTrackingFinalizers(targets, key: key)
            withFinalizer.subtract(removed)
            removalError = error
        }
        if Self.countPodsWithoutFinalizers(&state.job.status, withFinalizer: withFinalizer) { needsFlush = true }
        if let removalError {
            if needsFlush { state.job = try await client.updateStatus(state.job) }
            throw removalError
        }
        return needsFlush
    }

    /// Moves uncounted UIDs whose pod no longer has the finalizer into the counters.
    static func countPodsWithoutFinalizers(_ status: inout BatchV1.JobStatus, withFinalizer: Set<String>) -> Bool {
        var changed = false
        var uncounted = status.uncountedTerminatedPods ?? BatchV1.UncountedTerminatedPods()
        let succeeded = uncounted.succeeded ?? []
        let keptSucceeded = succeeded.filter(withFinalizer.contains)
        if keptSucceeded.count != succeeded.count {
            changed = true
            status.succeeded = (status.succeeded ?? 0) + Int32(succeeded.count - keptSucceeded.count)
            uncounted.succeeded = keptSucceeded
        }
        let failed = uncounted.failed ?? []
        let keptFailed = failed.filter(withFinalizer.contains)
        if keptFailed.count != failed.count {
            changed = true
            status.failed = (status.failed ?? 0) + Int32(failed.count - keptFailed.count)
            uncounted.failed = keptFailed
        }
        status.uncountedTerminatedPods = uncounted
        return changed
    }

    /// Patches the finalizer off each pod; answers the UIDs done (a pod already gone counts)
    /// and the first error.
    func removeTrackingFinalizers(_ targets: [CoreV1.Pod], key: String) async -> (Set<String>, (any Error)?) {
        finalizerExpectations.expectRemovals(key, targets.compactMap(\.metadata.uid))
        return await withTaskGroup(of: (uid: String, done: Bool, error: (any Error)?).self) { group in
            for pod in targets {
                group.addTask {
                    let uid = pod.metadata.uid ?? ""
                    do {
                        _ = try await client.patch(CoreV1.Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                                                   Self.removeFinalizerPatch)
                        return (uid, true, nil)
                    } catch {
                        finalizerExpectations.removalObserved(key, uid)
                        if let status = error as? StatusError, status.isNotFound { return (uid, true, nil) }
                        return (uid, false, error)
                    }
                }
            }
            var done: Set<String> = []
            var firstError: (any Error)?
            for await result in group {
                if result.done { done.insert(result.uid) }
                if firstError == nil { firstError = result.error }
            }
            return (done, firstError)
        }
    }

    /// Adds `Complete` or `Failed` once no pod is uncounted or terminating.
    func enactJobFinished(_ state: inout JobSyncState, now: Date) -> Bool {
        guard let finished = state.finishedCondition else { return false }
        let uncounted = state.job.status.uncountedTerminatedPods
        if (uncounted?.succeeded?.count ?? 0) + (uncounted?.failed?.count ?? 0) > 0 { return false }
        if state.terminating > 0 { return false }
        var conditions = state.job.status.conditions ?? []
        _ = JobSpecs.ensureCondition(&conditions, finished.type, status: finished.status, reason: finished.reason ?? "",
                                     message: finished.message ?? "", now: now)
        state.job.status.conditions = conditions
        if finished.type == "Complete" { state.job.status.completionTime = finished.lastTransitionTime }
        return true
    }

    func recordJobFinished(_ job: BatchV1.Job, _ condition: BatchV1.JobCondition) {
        if condition.type == "Complete" {
            if let completions = job.spec.completions, (job.status.succeeded ?? 0) > completions {
                events.event(job, type: .warning, reason: "TooManySucceededPods",
                             message: "Too many succeeded pods running after completion count reached")
            }
            events.event(job, type: .normal, reason: "Completed", message: "Job completed")
        } else {
            events.event(job, type: .warning, reason: condition.reason ?? "", message: condition.message ?? "")
        }
    }
}
