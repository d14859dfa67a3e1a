import KubeModel

/// Pods waiting for a node (upstream's `PriorityQueue`): an active heap in priority order
/// (then by queue time), a backoff heap for pods that failed recently, and the unschedulable
/// pods parked until the cluster changes in a way that may help or five minutes pass. A pod
/// is in exactly one of them, or in flight (popped and being scheduled).
struct SchedulingQueue: Sendable {
    var initialBackoff: Duration = .seconds(1)
    var maximumBackoff: Duration = .seconds(10)
    /// Unschedulable pods are retried after this even if nothing moved them.
    var maximumUnschedulableDuration: Duration = .seconds(300)

    private var active = KeyedHeap<QueuedPodInfo>(key: \.key) { a, b in
        a.podInfo.priority != b.podInfo.priority ? a.podInfo.priority > b.podInfo.priority : a.timestamp < b.timestamp
    }
    private var backoff: KeyedHeap<QueuedPodInfo>
    private var unschedulable: [String: QueuedPodInfo] = [:]
    /// Popped pods and whether a cluster change arrived while they were being scheduled.
    private var inFlight: [String: Bool] = [:]
    /// Parked pods are checked for staleness every 30 s, as upstream does.
    private var lastUnschedulableFlush: ContinuousClock.Instant?

    init() {
        let initial = Duration.seconds(1), maximum = Duration.seconds(10)
        backoff = KeyedHeap(key: \.key) { a, b in
            a.timestamp + a.backoffDuration(initial: initial, maximum: maximum)
                < b.timestamp + b.backoffDuration(initial: initial, maximum: maximum)
        }
    }

    var activeCount: Int { active.count }
    var backoffCount: Int { backoff.count }
    var unschedulableCount: Int { unschedulable.count }
    var isEmpty: Bool { active.isEmpty && backoff.isEmpty && unschedulable.isEmpty }

    func contains(_ key: String) -> Bool {
        active.contains(key) || backoff.contains(key) || unschedulable[key] != nil || inFlight[key] != nil
    }

    /// A new pending pod goes straight to the active heap.
    mutating func add(_ pod: PodInfo, now: ContinuousClock.Instant) {
        let key = pod.key
        if inFlight[key] != nil { return }
        if var existing = active.element(key) ?? backoff.remove(key) ?? unschedulable.removeValue(forKey: key) {
            existing.podInfo = pod
            active.upsert(existing)
            return
        }
        active.upsert(QueuedPodInfo(pod, now: now))
    }

    /// A pending pod changed: refresh it where it waits; an unschedulable pod whose spec
    /// changed gets another chance (through backoff if that has not run out).
    mutating func update(_ pod: PodInfo, specChanged: Bool, now: ContinuousClock.Instant) {
        let key = pod.key
        if var queued = active.element(key) {
            queued.podInfo = pod
            active.upsert(queued)
        } else if var queued = backoff.element(key) {
            queued.podInfo = pod
            backoff.upsert(queued)
        } else if var queued = unschedulable[key] {
            queued.podInfo = pod
            if specChanged {
                unschedulable[key] = nil
                requeue(queued, now: now)
            } else {
                unschedulable[key] = queued
            }
        } else if inFlight[key] == nil {
            add(pod, now: now)
        }
    }

    mutating func delete(_ key: String) {
        active.remove(key)
        backoff.remove(key)
        unschedulable[key] = nil
    }

    /// The highest-priority active pod (after moving pods whose backoff ran out), marked in flight.
    mutating func pop(now: ContinuousClock.Instant) -> QueuedPodInfo? {
        flush(now: now)
        guard var queued = active.popFirst() else { return nil }
        queued.attempts += 1
        inFlight[queued.key] = false
        return queued
    }

    /// The pod's cycle ended without a node: park it as unschedulable, or in backoff when the
    /// cycle failed with an error or the cluster changed while it ran.
    mutating func requeueAfterFailure(_ queued: QueuedPodInfo, error: Bool, now: ContinuousClock.Instant) {
        let movedWhileInFlight = inFlight.removeValue(forKey: queued.key) ?? false
        var queued = queued
        queued.timestamp = now
        if error || movedWhileInFlight {
            backoff.upsert(queued)
        } else {
            unschedulable[queued.key] = queued
        }
    }

    /// The pod's cycle ended (assumed on a node, or dropped).
    mutating func done(_ key: String) {
        inFlight[key] = nil
    }

    /// Something changed that may let parked pods fit (a node added or updated, a pod
    /// removed): every unschedulable pod goes back to active, or to backoff if its backoff has
    /// not run out, and pods in flight will be retried soon rather than parked.
    mutating func moveAllToActiveOrBackoff(now: ContinuousClock.Instant) {
        for key in inFlight.keys { inFlight[key] = true }
        let parked = unschedulable
        unschedulable = [:]
        for queued in parked.values { requeue(queued, now: now) }
    }

    /// Moves pods whose backoff ran out to active, and pods parked too long to active or backoff.
    mutating func flush(now: ContinuousClock.Instant) {
        while let first = backoff.first, backoffExpiry(first) <= now {
            _ = backoff.popFirst()
            active.upsert(first)
        }
        if let last = lastUnschedulableFlush, now - last < .seconds(30) { return }
        lastUnschedulableFlush = now
        let stale = unschedulable.values.filter { now - $0.timestamp >= maximumUnschedulableDuration }
        for queued in stale {
            unschedulable[queued.key] = nil
            requeue(queued, now: now)
        }
    }

    /// When ``flush(now:)`` next has something to do.
    var nextDeadline: ContinuousClock.Instant? {
        let backoffDue = backoff.first.map(backoffExpiry)
        let unschedulableDue = unschedulable.values.map(\.timestamp).min().map { oldest in
            max(oldest + maximumUnschedulableDuration, (lastUnschedulableFlush ?? oldest) + .seconds(30))
        }
        return [backoffDue, unschedulableDue].compactMap { $0 }.min()
    }

    /// Pending pods (for metrics and tests): active, backoff, unschedulable.
    var pendingKeys: (active: [String], backoff: [String], unschedulable: [String]) {
        (active.all.map(\.key), backoff.all.map(\.key), Array(unschedulable.keys))
    }

    private func backoffExpiry(_ queued: QueuedPodInfo) -> ContinuousClock.Instant {
        queued.timestamp + queued.backoffDuration(initial: initialBackoff, maximum: maximumBackoff)
    }

    private mutating func requeue(_ queued: QueuedPodInfo, now: ContinuousClock.Instant) {
        if backoffExpiry(queued) > now {
            backoff.upsert(queued)
        } else {
            active.upsert(queued)
        }
    }
}
