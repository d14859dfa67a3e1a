import Foundation
import KubeModel

/// Pod state as the workload controllers read it (upstream's `podutil.IsPodReady`,
/// `IsPodAvailable`, `controller.IsPodActive`, `IsPodTerminating`).
public enum PodReadiness {
    /// The pod's `Ready` condition, if any.
    public static func readyCondition(_ pod: CoreV1.Pod) -> CoreV1.PodCondition? {
        pod.status.conditions?.first { $0.type == "Ready" }
    }

    /// True when the `Ready` condition is `True`.
    public static func isReady(_ pod: CoreV1.Pod) -> Bool {
        readyCondition(pod)?.status == "True"
    }

    /// Ready for at least `minReadySeconds` at `now` (a ready pod with minReadySeconds 0 always is).
    public static func isAvailable(_ pod: CoreV1.Pod, minReadySeconds: Int32, now: Date) -> Bool {
        guard isReady(pod) else { return false }
        if minReadySeconds == 0 { return true }
        guard let since = readyCondition(pod)?.lastTransitionTime else { return false }
        return since.date.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    /// Not finished (Succeeded/Failed) and not being deleted: it counts toward replicas.
    public static func isActive(_ pod: CoreV1.Pod) -> Bool {
        let phase = pod.status.phase
        return phase != "Succeeded" && phase != "Failed" && pod.metadata.deletionTimestamp == nil
    }

    /// Being deleted but not finished yet (upstream's terminating replicas).
    public static func isTerminating(_ pod: CoreV1.Pod) -> Bool {
        let phase = pod.status.phase
        return phase != "Succeeded" && phase != "Failed" && pod.metadata.deletionTimestamp != nil
    }

    /// The highest restart count among the pod's containers.
    public static func maxContainerRestarts(_ pod: CoreV1.Pod) -> Int32 {
        (pod.status.containerStatuses ?? []).map(\.restartCount).max() ?? 0
    }
}
