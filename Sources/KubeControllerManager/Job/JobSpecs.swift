import Foundation
import KubeModel

/// Reads of a Job's spec and conditions as the Job controller (and the CronJob and TTL
/// controllers) need them, with the API's defaults where a field is unset.
enum JobSpecs {
    static let managedByJobController = "kubernetes.io/job-controller"

    static func isIndexed(_ job: BatchV1.Job) -> Bool { job.spec.completionMode == "Indexed" }

    static func isSuspended(_ job: BatchV1.Job) -> Bool { job.spec.suspend == true }

    static func backoffLimit(_ job: BatchV1.Job) -> Int32 {
        job.spec.backoffLimit ?? (job.spec.backoffLimitPerIndex == nil ? 6 : Int32.max)
    }

    static func parallelism(_ job: BatchV1.Job) -> Int32 { job.spec.parallelism ?? 1 }

    static func hasBackoffLimitPerIndex(_ job: BatchV1.Job) -> Bool { job.spec.backoffLimitPerIndex != nil }

    /// Replacement pods wait for the old pod to fail, not just to be terminating
    /// (`podReplacementPolicy: Failed`, implied by a pod failure policy).
    static func onlyReplacesFailedPods(_ job: BatchV1.Job) -> Bool {
        job.spec.podReplacementPolicy == "Failed" || job.spec.podFailurePolicy != nil
    }

    /// The controller named in `spec.managedBy` when it is not this one.
    static func externalManager(_ job: BatchV1.Job) -> String? {
        guard let manager = job.spec.managedBy, manager != managedByJobController else { return nil }
        return manager
    }

    static func condition(_ job: BatchV1.Job, _ type: String) -> BatchV1.JobCondition? {
        job.status.conditions?.first { $0.type == type }
    }

    /// `Complete` or `Failed` when the Job has that condition True (upstream's `FinishedCondition`).
    static func finishedConditionType(_ job: BatchV1.Job) -> String? {
        job.status.conditions?.first { ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True" }?.type
    }

    static func isFinished(_ job: BatchV1.Job) -> Bool { finishedConditionType(job) != nil }

    static func isSucceeded(_ job: BatchV1.Job) -> Bool {
        job.status.conditions?.contains { $0.type == "Complete" && $0.status == "True" } ?? false
    }

    static func newCondition(_ type: String, status: String = "True", reason: String, message: String,
                             now: Date) -> BatchV1.JobCondition {
        BatchV1.JobCondition(lastProbeTime: MetaV1.Time(now), lastTransitionTime: MetaV1.Time(now), message: message,
                             reason: reason, status: status, type: type)
    }

    /// Sets the condition of `type` to the given state, appending it unless it would be
    /// appended as False; true when the list changed.
    static func ensureCondition(_ conditions: inout [BatchV1.JobCondition], _ type: String, status: String,
                                reason: String, message: String, now: Date) -> Bool {
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            let current = conditions[index]
            guard current.status != status || (current.reason ?? "") != reason || (current.message ?? "") != message else {
                return false
            }
            conditions[index] = newCondition(type, status: status, reason: reason, message: message, now: now)
            return true
        }
        guard status != "False" else { return false }
        conditions.append(newCondition(type, status: status, reason: reason, message: message, now: now))
        return true
    }
}
