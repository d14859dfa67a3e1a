import Foundation
import KubeClient
import KubeModel

/// One sync of a Job (upstream's `syncJob`): count its pods, decide whether it has finished
/// (success, backoff limit, deadline, pod failure policy, failed indexes, success policy),
/// create or delete pods otherwise, then record the status.
extension JobController {
    static let backoffLimitExceededMessage = "Job has reached the specified backoff limit"
    static let deadlineExceededMessage = "Job was active longer than specified deadline"

    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let shared = jobs.get(namespace: namespace, name: name) else {
            expectations.delete(key)
            finalizerExpectations.delete(key)
            backoff.remove(key)
            return
        }
        if JobSpecs.externalManager(shared) != nil { return }
        if JobSpecs.isFinished(shared) {
            backoff.remove(key)
            return
        }
        if let mode = shared.spec.completionMode, mode != "NonIndexed", mode != "Indexed" {
            events.event(shared, type: .warning, reason: "UnknownCompletionMode",
                         message: "Skipped Job sync because completion mode is unknown")
            return
        }
        var job = shared
        if job.status.uncountedTerminatedPods == nil { job.status.uncountedTerminatedPods = BatchV1.UncountedTerminatedPods() }
        // Checked before reading pods: a pod that arrives after this check waits for the next sync.
        let satisfied = expectations.satisfied(key)
        let jobPods = try await podsForJob(job)
        let activePods = jobPods.filter(JobPods.isActive)
        let uncounted = job.status.uncountedTerminatedPods!
        var state = JobSyncState(
            job: job, pods: jobPods, activePods: activePods,
            expectedRemovedFinalizers: finalizerExpectations.expectedUIDs(key),
            uncountedSucceeded: Set(uncounted.succeeded ?? []), uncountedFailed: Set(uncounted.failed ?? []),
            terminating: Int32(jobPods.filter(JobPods.isTerminating).count),
            ready: Int32(activePods.filter(JobPods.isReady).count))
        var active = Int32(activePods.count)
        let newSucceeded = state.uncountedPods(excluding: state.uncountedSucceeded, JobPods.isSucceeded)
        let newFailed = state.uncountedPods(excluding: state.uncountedFailed) { JobPods.isFailed($0, job) }
        state.succeeded = (job.status.succeeded ?? 0) + Int32(newSucceeded.count) + Int32(state.uncountedSucceeded.count)
        state.failed = (job.status.failed ?? 0) + Int32(countedFailures(job, newFailed)) + Int32(state.uncountedFailed.count)

        let now = self.now()
        if state.job.status.startTime == nil && !JobSpecs.isSuspended(job) {
            state.job.status.startTime = MetaV1.Time(now)
        }
        state.newBackoffRecord = backoff.record(key).updated(succeeded: newSucceeded, failed: newFailed)

        decideFailure(&state, key: key, now: now)
        if JobSpecs.isIndexed(job) { decideIndexedOutcome(&state, now: now) }

        var manageError: (any Error)?
        var suspendConditionChanged = false
        if state.finishedCondition != nil {
            let (deletedReady, deleted, error) = await deleteActivePods(state.job, state.activePods)
            if deleted != active || !satisfied {
                // Pods may remain, or the cache may not show every pod yet.
                state.finishedCondition = nil
            }
            active -= deleted
            state.terminating += deleted
            state.ready -= deletedReady
            manageError = error
        } else {
            var managed = false
            if satisfied && job.metadata.deletionTimestamp == nil {
                let result = await manageJob(&state, key: key)
                active = result.active
                manageError = result.error
                managed = true
            }
            let complete: Bool
            if let completions = job.spec.completions {
                complete = state.succeeded >= completions && active == 0
            } else {
                complete = state.succeeded > 0 && active == 0
            }
            if complete {
                state.finishedCondition = JobSpecs.newCondition("SuccessCriteriaMet", reason: "CompletionsReached",
                                                                message: "Reached expected number of succeeded pods", now: now)
            } else if managed {
                suspendConditionChanged = updateSuspendCondition(&state.job, now: now)
            }
        }

        let needsUpdate = suspendConditionChanged || active != (state.job.status.active ?? 0)
            || state.ready != state.job.status.ready || state.terminating != state.job.status.terminating
        state.job.status.active = active
        state.job.status.ready = state.ready
        state.job.status.terminating = state.terminating
        try await trackStatusAndRemoveFinalizers(&state, key: key, needsFlush: needsUpdate)
        if let manageError { throw manageError }
    }

    /// Failures not ignored by the pod failure policy.
    func countedFailures(_ job: BatchV1.Job, _ failed: [CoreV1.Pod]) -> Int {
        guard let policy = job.spec.podFailurePolicy else { return failed.count }
        return failed.filter { JobPodFailurePolicy.match(policy, $0).countsFailure }.count
    }

    /// The Job-wide reasons to stop: an earlier interim condition, a `FailJob` rule, the backoff
    /// limit, the active deadline (else a sync at the deadline is queued).
    func decideFailure(_ state: inout JobSyncState, key: String, now: Date) {
        let job = state.job
        if let met = JobSpecs.condition(job, "SuccessCriteriaMet"), met.status == "True" {
            state.finishedCondition = met
            return
        }
        if let target = JobSpecs.condition(job, "FailureTarget"), target.status == "True" {
            state.finishedCondition = JobSpecs.newCondition("Failed", reason: target.reason ?? "", message: target.message ?? "", now: now)
            return
        }
        if let policy = job.spec.podFailurePolicy,
           let message = state.pods.lazy.filter({ JobPods.isFailed($0, job) })
            .compactMap({ JobPodFailurePolicy.match(policy, $0).failJobMessage }).first {
            state.finishedCondition = JobSpecs.newCondition("FailureTarget", reason: "PodFailurePolicy", message: message, now: now)
            return
        }
        if state.failed > JobSpecs.backoffLimit(job) || pastBackoffLimitOnFailure(job, state.pods) {
            state.finishedCondition = JobSpecs.newCondition("FailureTarget", reason: "BackoffLimitExceeded",
                                                            message: Self.backoffLimitExceededMessage, now: now)
        } else if let deadline = job.spec.activeDeadlineSeconds, !JobSpecs.isSuspended(job), let start = job.status.startTime?.date {
            let remaining = TimeInterval(deadline) - now.timeIntervalSince(start)
            if remaining <= 0 {
                state.finishedCondition = JobSpecs.newCondition("FailureTarget", reason: "DeadlineExceeded",
                                                                message: Self.deadlineExceededMessage, now: now)
            } else {
                queue.addAfter(key, .milliseconds(Int64((remaining * 1000).rounded(.up))))
            }
        }
    }

    /// With `restartPolicy: OnFailure`, the container restarts of running and pending pods
    /// reach the backoff limit.
    func pastBackoffLimitOnFailure(_ job: BatchV1.Job, _ pods: [CoreV1.Pod]) -> Bool {
        guard job.spec.template.spec?.restartPolicy == "OnFailure" else { return false }
        var restarts: Int32 = 0
        for pod in pods where pod.status.phase == "Running" || pod.status.phase == "Pending" {
            for status in (pod.status.initContainerStatuses ?? []) + (pod.status.containerStatuses ?? []) {
                restarts += status.restartCount
            }
        }
        let limit = JobSpecs.backoffLimit(job)
        return limit == 0 ? restarts > 0 : restarts >= limit
    }

    /// The `Suspended` condition and its events; resuming restarts the active-deadline clock.
    func updateSuspendCondition(_ job: inout BatchV1.Job, now: Date) -> Bool {
        var conditions = job.status.conditions ?? []
        if JobSpecs.isSuspended(job) {
            guard JobSpecs.ensureCondition(&conditions, "Suspended", status: "True", reason: "JobSuspended",
                                           message: "Job suspended", now: now) else { return false }
            job.status.conditions = conditions
            events.event(job, type: .normal, reason: "Suspended", message: "Job suspended")
        } else {
            guard JobSpecs.ensureCondition(&conditions, "Suspended", status: "False", reason: "JobResumed",
                                           message: "Job resumed", now: now) else { return false }
            job.status.conditions = conditions
            events.event(job, type: .normal, reason: "Resumed", message: "Job resumed")
            job.status.startTime = MetaV1.Time(now)
        }
        return true
    }
}
