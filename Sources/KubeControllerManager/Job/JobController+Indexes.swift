import Foundation
import KubeModel

/// Indexed Jobs: which indexes succeeded or failed, which to start next, duplicates to
/// remove, and the success policy.
extension JobController {
    /// Succeeded and failed indexes, `maxFailedIndexes`/failed-indexes failures and the
    /// success policy.
    func decideIndexedOutcome(_ state: inout JobSyncState, now: Date) {
        let job = state.job
        let completions = state.completions
        state.previousSucceededIndexes = JobIndexIntervals.parse(job.status.completedIndexes, completions: completions)
        let newlySucceeded = Set(state.pods.compactMap { pod -> Int? in
            guard JobPods.isSucceeded(pod), JobPods.hasTrackingFinalizer(pod),
                  let index = JobPods.completionIndex(pod), index < completions else { return nil }
            return index
        })
        state.succeededIndexes = state.previousSucceededIndexes.adding(newlySucceeded.sorted())
        state.succeeded = Int32(state.succeededIndexes.total)
        if JobSpecs.hasBackoffLimitPerIndex(job) {
            let previous = JobIndexIntervals.parse(job.status.failedIndexes, completions: completions)
            let newlyFailed = Set(state.pods.compactMap { pod -> Int? in
                guard let index = JobPods.completionIndex(pod), index < completions, JobPods.hasTrackingFinalizer(pod),
                      isIndexFailed(job, pod) else { return nil }
                return index
            })
            let failedIndexes = previous.adding(newlyFailed.sorted())
            state.failedIndexes = failedIndexes
            if state.finishedCondition == nil {
                if let maxFailed = job.spec.maxFailedIndexes, failedIndexes.total > Int(maxFailed) {
                    state.finishedCondition = JobSpecs.newCondition(
                        "FailureTarget", reason: "MaxFailedIndexesExceeded",
                        message: "Job has exceeded the specified maximal number of failed indexes", now: now)
                } else if failedIndexes.total > 0 && failedIndexes.total + state.succeededIndexes.total >= completions {
                    state.finishedCondition = JobSpecs.newCondition("FailureTarget", reason: "FailedIndexes",
                                                                    message: "Job has failed indexes", now: now)
                }
            }
            state.podsWithDelayedDeletionPerIndex = podsWithDelayedDeletionPerIndex(state)
        }
        if state.finishedCondition == nil,
           let message = Self.matchSuccessPolicy(job.spec.successPolicy, completions: completions, succeeded: state.succeededIndexes) {
            state.finishedCondition = JobSpecs.newCondition("SuccessCriteriaMet", reason: "SuccessPolicy", message: message, now: now)
        }
    }

    /// The pod's failure uses up its index's `backoffLimitPerIndex` (or hit a `FailIndex` rule).
    func isIndexFailed(_ job: BatchV1.Job, _ pod: CoreV1.Pod) -> Bool {
        guard JobPods.isFailed(pod, job) else { return false }
        var counted = true
        if let policy = job.spec.podFailurePolicy {
            let match = JobPodFailurePolicy.match(policy, pod)
            if match.action == "FailIndex" { return true }
            counted = match.countsFailure
        }
        return counted && Self.annotationCount(pod, JobPods.indexFailureCountAnnotation) >= (job.spec.backoffLimitPerIndex ?? 0)
    }

    static func annotationCount(_ pod: CoreV1.Pod, _ annotation: String) -> Int32 {
        guard let text = pod.metadata.annotations?[annotation], let value = Int(text), value >= 0, value <= Int(Int32.max) else {
            return 0
        }
        return Int32(value)
    }

    /// Per index, the last failed pod kept until its replacement is created (it carries the
    /// failure counts the replacement inherits).
    func podsWithDelayedDeletionPerIndex(_ state: JobSyncState) -> [Int: CoreV1.Pod] {
        let activeIndexes = Set(state.activePods.compactMap(JobPods.completionIndex))
        var result: [Int: CoreV1.Pod] = [:]
        for pod in state.uncountedPods(excluding: [], { JobPods.isFailed($0, state.job) }) {
            guard let index = JobPods.completionIndex(pod), index < state.completions else { continue }
            if state.succeededIndexes.contains(index) || state.failedIndexes?.contains(index) == true
                || activeIndexes.contains(index) { continue }
            if let kept = result[index] {
                let keptCount = Self.absoluteFailureCount(kept), count = Self.absoluteFailureCount(pod)
                if keptCount <= count && JobPods.finishedTime(pod) >= JobPods.finishedTime(kept) { result[index] = pod }
            } else {
                result[index] = pod
            }
        }
        return result
    }

    static func absoluteFailureCount(_ pod: CoreV1.Pod) -> Int32 {
        annotationCount(pod, JobPods.indexFailureCountAnnotation) + annotationCount(pod, JobPods.indexIgnoredFailureCountAnnotation)
    }

    /// The first `count` indexes below `completions` that no active pod, success or failed
    /// index covers (nor a terminating pod, when only failed pods are replaced).
    static func firstPendingIndexes(_ state: JobSyncState, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var taken = state.succeededIndexes.adding(Set(state.activePods.compactMap(JobPods.completionIndex)).sorted())
        if JobSpecs.onlyReplacesFailedPods(state.job) {
            taken = taken.adding(Set(state.pods.filter(JobPods.isTerminating).compactMap(JobPods.completionIndex)).sorted())
        }
        if let failed = state.failedIndexes { taken = taken.merging(failed) }
        var result: [Int] = []
        var candidate = 0
        for interval in taken.intervals {
            while candidate < state.completions && result.count < count && candidate < interval.first {
                result.append(candidate)
                candidate += 1
            }
            candidate = max(candidate, interval.last + 1)
        }
        while candidate < state.completions && result.count < count {
            result.append(candidate)
            candidate += 1
        }
        return result
    }

    /// Active pods of an Indexed Job to remove regardless of parallelism: those without a
    /// valid index, beyond `completions`, and all but one pod of a repeated index.
    static func duplicateIndexPodsForRemoval(_ pods: [CoreV1.Pod], completions: Int) -> (remove: [CoreV1.Pod], keep: [CoreV1.Pod]) {
        var remove: [CoreV1.Pod] = [], keep: [CoreV1.Pod] = []
        var byIndex: [Int: [CoreV1.Pod]] = [:]
        for pod in pods {
            guard let index = JobPods.completionIndex(pod), index < completions else {
                remove.append(pod)
                continue
            }
            byIndex[index, default: []].append(pod)
        }
        for index in byIndex.keys.sorted() {
            let sorted = byIndex[index]!.sorted(by: JobPods.removedFirst)
            remove += sorted.dropLast()
            keep.append(sorted.last!)
        }
        return (remove, keep)
    }

    /// `Matched rules at index N` for the first success-policy rule the succeeded indexes meet.
    static func matchSuccessPolicy(_ policy: BatchV1.SuccessPolicy?, completions: Int, succeeded: JobIndexIntervals) -> String? {
        guard let policy, !succeeded.isEmpty else { return nil }
        for (index, rule) in policy.rules.enumerated() {
            if let required = rule.succeededIndexes {
                let requiredIndexes = JobIndexIntervals.parse(required, completions: completions)
                if requiredIndexes.isEmpty { continue }
                var overlap = 0
                for a in requiredIndexes.intervals {
                    for b in succeeded.intervals {
                        overlap += max(0, min(a.last, b.last) - max(a.first, b.first) + 1)
                    }
                }
                if overlap == requiredIndexes.total || (rule.succeededCount.map { overlap >= Int($0) } ?? false) {
                    return "Matched rules at index \(index)"
                }
            } else if let count = rule.succeededCount, succeeded.total >= Int(count) {
                return "Matched rules at index \(index)"
            }
        }
        return nil
    }
}
