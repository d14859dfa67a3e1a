import Foundation

/// upstream's `RateLimitedTimedQueue` (nodelifecycle/scheduler/rate_limited_queue.go), one per
/// zone, as a value type: node names ordered by when they are due, each held once until it is
/// removed, and a token bucket (burst 1) that lets one through per token. A value that was
/// processed stays "held" (it is not queued again) until ``remove(_:)`` — what the node
/// lifecycle controller calls once the node is Ready again or lacks its taint.
struct RateLimitedTimedQueue: Sendable {
    /// upstream's `EvictionRateLimiterBurst`.
    static let burst = 1

    /// upstream's `TimedValue`.
    struct TimedValue: Sendable, Equatable {
        var value: String
        var uid: String
        var addedAt: Date
        var processAt: Date
    }

    /// Queued values, earliest `processAt` first (equal times in the order they came).
    private(set) var queue: [TimedValue] = []
    /// Every value queued or processed and not removed since.
    private(set) var held: Set<String> = []
    private(set) var limiter: TokenBucket

    init(qps: Double, now: Date) {
        limiter = qps > 0 ? TokenBucket(qps: qps, burst: Self.burst, now: now) : .never(now: now)
    }

    var qps: Double { limiter.qps }

    /// Queues `value` due now, unless it is held already; true when it was queued.
    @discardableResult
    mutating func add(_ value: String, uid: String, now: Date) -> Bool {
        guard !held.contains(value) else { return false }
        insert(TimedValue(value: value, uid: uid, addedAt: now, processAt: now))
        held.insert(value)
        return true
    }

    /// Forgets `value` (queued or processed) so it can be added again; false when it was not held.
    @discardableResult
    mutating func remove(_ value: String) -> Bool {
        guard held.remove(value) != nil else { return false }
        queue.removeAll { $0.value == value }
        return true
    }

    /// Takes `value` off the queue but keeps it held; false when it was not queued.
    @discardableResult
    mutating func removeFromQueue(_ value: String) -> Bool {
        guard held.contains(value), let index = queue.firstIndex(where: { $0.value == value }) else { return false }
        queue.remove(at: index)
        return true
    }

    /// upstream's `SwapLimiter`: a new bucket when the rate changes (none at 0); a new bucket
    /// starts empty when the old one had no token left.
    mutating func swapLimiter(qps: Double, now: Date) {
        guard limiter.qps != qps else { return }
        guard qps > 0 else {
            limiter = .never(now: now)
            return
        }
        var replacement = TokenBucket(qps: qps, burst: Self.burst, now: now)
        if !limiter.tryAccept(now: now) { _ = replacement.tryAccept(now: now) }
        limiter = replacement
    }

    /// One step of upstream's `Try`: the first value, when a token is there and the value is
    /// due (a token is spent even when it is not, as upstream). The value stays queued until
    /// ``finish(_:succeeded:retryAfter:now:)``.
    mutating func next(now: Date) -> TimedValue? {
        guard let head = queue.first, limiter.tryAccept(now: now), now >= head.processAt else { return nil }
        return head
    }

    /// After processing `value`: done (it leaves the queue, still held), or tried again
    /// `retryAfter` later.
    mutating func finish(_ value: TimedValue, succeeded: Bool, retryAfter: TimeInterval, now: Date) {
        if succeeded {
            removeFromQueue(value.value)
            return
        }
        guard let index = queue.firstIndex(where: { $0.value == value.value }) else { return }
        var retried = queue.remove(at: index)
        retried.processAt = now.addingTimeInterval(retryAfter)
        insert(retried)
    }

    /// How long from `now` until ``next(now:)`` can answer a value (nil: nothing queued, or no tokens ever).
    func delayUntilNext(now: Date) -> TimeInterval? {
        guard let head = queue.first, let token = limiter.delayUntilToken(now: now) else { return nil }
        return max(token, head.processAt.timeIntervalSince(now), 0)
    }

    private mutating func insert(_ value: TimedValue) {
        let index = queue.firstIndex { $0.processAt > value.processAt } ?? queue.endIndex
        queue.insert(value, at: index)
    }
}
