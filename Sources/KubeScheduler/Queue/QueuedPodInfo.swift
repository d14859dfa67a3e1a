/// A pod waiting in the scheduling queue, with its attempt history (upstream's
/// `framework.QueuedPodInfo`).
public struct QueuedPodInfo: Sendable {
    public var podInfo: PodInfo
    /// When the pod last entered the queue (orders equal priorities; starts its backoff).
    public var timestamp: ContinuousClock.Instant
    /// When the pod first entered the queue (create-to-schedule latency).
    public var initialTimestamp: ContinuousClock.Instant
    /// Scheduling attempts so far.
    public var attempts: Int = 0
    /// Plugins that rejected the pod in its last attempt.
    public var unschedulablePlugins: Set<String> = []

    public init(_ podInfo: PodInfo, now: ContinuousClock.Instant) {
        self.podInfo = podInfo
        timestamp = now
        initialTimestamp = now
    }

    public var key: String { podInfo.key }

    /// 1 s doubled per further attempt, at most 10 s (upstream's pod backoff defaults).
    func backoffDuration(initial: Duration, maximum: Duration) -> Duration {
        var duration = initial
        var remaining = attempts - 1
        while remaining > 0 && duration < maximum {
            duration *= 2
            remaining -= 1
        }
        return min(duration, maximum)
    }
}
