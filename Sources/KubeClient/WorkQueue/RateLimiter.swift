/// How long an item waits before it is retried (client-go's `workqueue.RateLimiter`): `when`
/// records a failure of `key` and answers its delay, `forget` clears its history, `retries`
/// counts failures since the last `forget`. Limiters are values owned by their ``WorkQueue``;
/// time is passed in so that tests can drive it.
public protocol RateLimiter<Key>: Sendable {
    associatedtype Key: Hashable & Sendable
    mutating func when(_ key: Key, now: ContinuousClock.Instant) -> Duration
    mutating func forget(_ key: Key)
    func retries(_ key: Key) -> Int
}

/// Per-item exponential backoff: `base × 2^failures`, capped at `max`
/// (`ItemExponentialFailureRateLimiter`).
public struct ItemExponentialFailureRateLimiter<Key: Hashable & Sendable>: RateLimiter {
    public let base: Duration
    public let max: Duration
    private var failures: [Key: Int] = [:]

    public init(base: Duration, max: Duration) {
        self.base = base
        self.max = max
    }

    public mutating func when(_ key: Key, now: ContinuousClock.Instant) -> Duration {
        let exponent = failures[key, default: 0]
        failures[key] = exponent + 1
        // 2^exponent overflows long before the cap matters: stop doubling once past it.
        var delay = base
        for _ in 0..<exponent {
            delay *= 2
            if delay >= max { return max }
        }
        return Swift.min(delay, max)
    }

    public mutating func forget(_ key: Key) { failures[key] = nil }
    public func retries(_ key: Key) -> Int { failures[key, default: 0] }
}

/// A token bucket shared by all items (`BucketRateLimiter` over `rate.Limiter`): `burst` tokens,
/// refilled at `perSecond`; each `when` takes a token, waiting for it when the bucket is empty.
public struct BucketRateLimiter<Key: Hashable & Sendable>: RateLimiter {
    public let perSecond: Double
    public let burst: Int
    private var tokens: Double
    private var last: ContinuousClock.Instant?

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = Double(burst)
    }

    public mutating func when(_ key: Key, now: ContinuousClock.Instant) -> Duration {
        if let last, now > last {
            let elapsed = Double((now - last).components.seconds) + Double((now - last).components.attoseconds) / 1e18
            tokens = Swift.min(Double(burst), tokens + elapsed * perSecond)
        }
        last = Swift.max(last ?? now, now)
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-tokens / perSecond * 1e9).rounded(.up)))
    }

    public mutating func forget(_ key: Key) {}
    public func retries(_ key: Key) -> Int { 0 }
}

/// The longest delay of several limiters (`MaxOfRateLimiter`).
public struct MaxOfRateLimiter<Key: Hashable & Sendable>: RateLimiter {
    private var limiters: [any RateLimiter<Key>]

    public init(_ limiters: [any RateLimiter<Key>]) {
        self.limiters = limiters
    }

    public mutating func when(_ key: Key, now: ContinuousClock.Instant) -> Duration {
        var longest = Duration.zero
        for index in limiters.indices {
            longest = Swift.max(longest, limiters[index].when(key, now: now))
        }
        return longest
    }

    public mutating func forget(_ key: Key) {
        for index in limiters.indices { limiters[index].forget(key) }
    }

    public func retries(_ key: Key) -> Int {
        limiters.map { $0.retries(key) }.max() ?? 0
    }
}

extension MaxOfRateLimiter {
    /// client-go's `DefaultControllerRateLimiter`: 5 ms doubling to 1,000 s per item, and
    /// 10 retries/s with a burst of 100 overall.
    public static var controllerDefault: MaxOfRateLimiter {
        MaxOfRateLimiter([
            ItemExponentialFailureRateLimiter<Key>(base: .milliseconds(5), max: .seconds(1000)),
            BucketRateLimiter<Key>(perSecond: 10, burst: 100),
        ])
    }
}
