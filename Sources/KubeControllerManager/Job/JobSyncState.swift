import Foundation
import KubeModel

/// What one sync of a Job works with (upstream's `syncJobCtx`): the Job being updated, its
/// pods, the counts so far and the condition it is about to finish with.
struct JobSyncState {
    var job: BatchV1.Job
    var pods: [CoreV1.Pod]
    var activePods: [CoreV1.Pod]
    /// The terminal (or interim) condition this sync found, nil while the Job runs on.
    var finishedCondition: BatchV1.JobCondition?
    var succeeded: Int32 = 0
    var failed: Int32 = 0
    var previousSucceededIndexes = JobIndexIntervals()
    var succeededIndexes = JobIndexIntervals()
    /// Set only with `backoffLimitPerIndex`.
    var failedIndexes: JobIndexIntervals?
    var newBackoffRecord = JobBackoffRecord()
    /// Pods whose finalizer removal is sent but not yet seen.
    var expectedRemovedFinalizers: Set<String>
    var uncountedSucceeded: Set<String>
    var uncountedFailed: Set<String>
    /// With `backoffLimitPerIndex`: the failed pod of each index kept until its replacement exists.
    var podsWithDelayedDeletionPerIndex: [Int: CoreV1.Pod] = [:]
    var terminating: Int32
    var ready: Int32

    var completions: Int { Int(job.spec.completions ?? 0) }

    /// Pods with the finalizer, not yet counted, with a valid index (Indexed Jobs), passing `filter`.
    func uncountedPods(excluding uncounted: Set<String>, _ filter: (CoreV1.Pod) -> Bool) -> [CoreV1.Pod] {
        pods.filter { pod in
            let uid = pod.metadata.uid ?? ""
            guard JobPods.hasTrackingFinalizer(pod), !uncounted.contains(uid), !expectedRemovedFinalizers.contains(uid) else {
                return false
            }
            if JobSpecs.isIndexed(job) {
                guard let index = JobPods.completionIndex(pod), index < completions else { return false }
            }
            return filter(pod)
        }
    }
}
