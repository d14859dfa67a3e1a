import Foundation
import KubeModel

/// Which pods a scale-down removes first (upstream's `ActivePodsWithRanks` order and
/// `getPodsToDelete`): unassigned before assigned; Pending, then Unknown, then Running; not
/// ready before ready; lower `controller.kubernetes.io/pod-deletion-cost` first; more
/// co-located related pods first; ready for less time first (on a log2 scale of the age, ties
/// by UID); more container restarts first; newer first (log2 scale, ties by UID).
public struct PodDeletionRanking: Sendable {
    public static let deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

    /// The reference time of the logarithmic comparisons (nil compares times directly).
    public var now: Date?

    public init(now: Date? = Date()) {
        self.now = now
    }

    /// The `count` pods of `pods` to delete, ranked against `related` (every active pod of the
    /// same owner's controller, upstream's indirectly related pods).
    public func podsToDelete(_ pods: [CoreV1.Pod], related: [CoreV1.Pod], count: Int) -> [CoreV1.Pod] {
        guard count < pods.count else { return Array(pods.prefix(count)) }
        return Array(rank(pods, related: related).prefix(count))
    }

    /// `pods` in deletion order; each pod's rank is the number of active `related` pods on its node.
    public func rank(_ pods: [CoreV1.Pod], related: [CoreV1.Pod]) -> [CoreV1.Pod] {
        var onNode: [String: Int] = [:]
        for pod in related where PodReadiness.isActive(pod) { onNode[pod.spec.nodeName ?? "", default: 0] += 1 }
        let ranked = pods.enumerated().map { (index: $0.offset, pod: $0.element, rank: onNode[$0.element.spec.nodeName ?? ""] ?? 0) }
        return ranked.sorted { a, b in
            if precedes(a.pod, a.rank, b.pod, b.rank) { return true }
            if precedes(b.pod, b.rank, a.pod, a.rank) { return false }
            return a.index < b.index
        }.map(\.pod)
    }

    static let phaseOrdinal: [String: Int] = ["Pending": 0, "Unknown": 1, "Running": 2]

    /// True when `first` (with co-location rank `firstRank`) is deleted before `second`.
    public func precedes(_ first: CoreV1.Pod, _ firstRank: Int, _ second: CoreV1.Pod, _ secondRank: Int) -> Bool {
        let node1 = first.spec.nodeName ?? "", node2 = second.spec.nodeName ?? ""
        if node1 != node2 && (node1.isEmpty || node2.isEmpty) { return node1.isEmpty }
        let phase1 = Self.phaseOrdinal[first.status.phase ?? ""] ?? 0
        let phase2 = Self.phaseOrdinal[second.status.phase ?? ""] ?? 0
        if phase1 != phase2 { return phase1 < phase2 }
        let ready1 = PodReadiness.isReady(first), ready2 = PodReadiness.isReady(second)
        if ready1 != ready2 { return !ready1 }
        let cost1 = Self.deletionCost(first), cost2 = Self.deletionCost(second)
        if cost1 != cost2 { return cost1 < cost2 }
        if firstRank != secondRank { return firstRank > secondRank }
        if ready1 && ready2 {
            let time1 = PodReadiness.readyCondition(first)?.lastTransitionTime
            let time2 = PodReadiness.readyCondition(second)?.lastTransitionTime
            if time1 != time2, let order = compareTimes(time1, time2, first, second) { return order }
        }
        let restarts1 = PodReadiness.maxContainerRestarts(first), restarts2 = PodReadiness.maxContainerRestarts(second)
        if restarts1 != restarts2 { return restarts1 > restarts2 }
        let created1 = first.metadata.creationTimestamp, created2 = second.metadata.creationTimestamp
        if created1 != created2, let order = compareTimes(created1, created2, first, second) { return order }
        return false
    }

    /// Later (or missing) times first; with a reference time, times in the same power-of-two
    /// age bucket are ordered by UID.
    private func compareTimes(_ t1: MetaV1.Time?, _ t2: MetaV1.Time?, _ first: CoreV1.Pod, _ second: CoreV1.Pod) -> Bool? {
        guard let t1, let t2 else { return t1 == nil }
        guard let now else { return t1 > t2 }
        let diff = Self.logRank(t1, now) - Self.logRank(t2, now)
        if diff == 0 { return (first.metadata.uid ?? "") < (second.metadata.uid ?? "") }
        return diff < 0
    }

    /// log2 of the age in nanoseconds (-1 for a time not in the past).
    static func logRank(_ time: MetaV1.Time, _ now: Date) -> Int64 {
        let nanoseconds = now.timeIntervalSince(time.date) * 1e9
        return nanoseconds > 0 ? Int64(log2(nanoseconds)) : -1
    }

    /// The pod's deletion cost annotation (0 when missing or not an int32).
    public static func deletionCost(_ pod: CoreV1.Pod) -> Int32 {
        guard let text = pod.metadata.annotations?[deletionCostAnnotation] else { return 0 }
        return Int32(text) ?? 0
    }
}
