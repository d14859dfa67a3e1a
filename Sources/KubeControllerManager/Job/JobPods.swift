import Foundation
import KubeModel

/// What the Job controller reads off its pods: the tracking finalizer, the completion index,
/// phases, readiness, when a pod finished, and the order pods are removed in (upstream's
/// `controller.ActivePods`).
enum JobPods {
    static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
    static let completionIndexAnnotation = "batch.kubernetes.io/job-completion-index"
    static let indexFailureCountAnnotation = "batch.kubernetes.io/job-index-failure-count"
    static let indexIgnoredFailureCountAnnotation = "batch.kubernetes.io/job-index-ignored-failure-count"
    static let completionIndexEnvName = "JOB_COMPLETION_INDEX"

    static func hasTrackingFinalizer(_ pod: CoreV1.Pod) -> Bool {
        pod.metadata.finalizers?.contains(trackingFinalizer) ?? false
    }

    /// The pod's completion index, nil when missing, not a number or negative.
    static func completionIndex(_ pod: CoreV1.Pod) -> Int? {
        guard let text = pod.metadata.annotations?[completionIndexAnnotation], let index = Int(text), index >= 0 else {
            return nil
        }
        return index
    }

    static func isSucceeded(_ pod: CoreV1.Pod) -> Bool { pod.status.phase == "Succeeded" }

    static func isTerminal(_ pod: CoreV1.Pod) -> Bool {
        pod.status.phase == "Succeeded" || pod.status.phase == "Failed"
    }

    /// Not finished and not being deleted (upstream's `FilterActivePods`).
    static func isActive(_ pod: CoreV1.Pod) -> Bool {
        !isTerminal(pod) && pod.metadata.deletionTimestamp == nil
    }

    /// Being deleted but not finished yet.
    static func isTerminating(_ pod: CoreV1.Pod) -> Bool {
        !isTerminal(pod) && pod.metadata.deletionTimestamp != nil
    }

    static func isReady(_ pod: CoreV1.Pod) -> Bool {
        pod.status.conditions?.first { $0.type == "Ready" }?.status == "True"
    }

    /// Failed, or (unless only failed pods are replaced) deleted before it succeeded.
    static func isFailed(_ pod: CoreV1.Pod, _ job: BatchV1.Job) -> Bool {
        if pod.status.phase == "Failed" { return true }
        if JobSpecs.onlyReplacesFailedPods(job) { return false }
        return pod.metadata.deletionTimestamp != nil && pod.status.phase != "Succeeded"
    }

    /// When the pod finished: its containers' last finish, else when it stopped being ready,
    /// else its deletion less the grace period, else its creation.
    static func finishedTime(_ pod: CoreV1.Pod) -> Date {
        if let statuses = pod.status.containerStatuses, !statuses.isEmpty {
            var latest: Date?
            var complete = true
            for status in statuses {
                guard let finished = status.state?.terminated?.finishedAt?.date else { complete = false; break }
                if latest == nil || latest! < finished { latest = finished }
            }
            if complete, let latest { return latest }
        }
        if let ready = pod.status.conditions?.first(where: { $0.type == "Ready" }), ready.status == "False",
           let time = ready.lastTransitionTime?.date {
            return time
        }
        if let deletion = pod.metadata.deletionTimestamp?.date {
            return deletion.addingTimeInterval(-TimeInterval(pod.metadata.deletionGracePeriodSeconds ?? 0))
        }
        return pod.metadata.creationTimestamp?.date ?? Date(timeIntervalSince1970: 0)
    }

    private static func phaseRank(_ pod: CoreV1.Pod) -> Int {
        switch pod.status.phase {
        case "Pending": return 0
        case "Unknown": return 1
        case "Running": return 2
        default: return 3
        }
    }

    private static func restarts(_ pod: CoreV1.Pod) -> Int32 {
        (pod.status.containerStatuses ?? []).reduce(0) { $0 + $1.restartCount }
    }

    /// Upstream's removal order: unscheduled before scheduled, pending before running,
    /// not ready before ready, ready for less time first, more restarts first, newer first.
    static func removedFirst(_ a: CoreV1.Pod, _ b: CoreV1.Pod) -> Bool {
        let aScheduled = !(a.spec.nodeName ?? "").isEmpty, bScheduled = !(b.spec.nodeName ?? "").isEmpty
        if aScheduled != bScheduled { return !aScheduled }
        if phaseRank(a) != phaseRank(b) { return phaseRank(a) < phaseRank(b) }
        if isReady(a) != isReady(b) { return !isReady(a) }
        if isReady(a), isReady(b) {
            let aSince = a.status.conditions?.first { $0.type == "Ready" }?.lastTransitionTime
            let bSince = b.status.conditions?.first { $0.type == "Ready" }?.lastTransitionTime
            if let aSince, let bSince, aSince != bSince { return aSince > bSince }
        }
        if restarts(a) != restarts(b) { return restarts(a) > restarts(b) }
        let aCreated = a.metadata.creationTimestamp, bCreated = b.metadata.creationTimestamp
        if aCreated != bCreated {
            guard let aCreated else { return true }
            guard let bCreated else { return false }
            return aCreated > bCreated
        }
        return false
    }
}
