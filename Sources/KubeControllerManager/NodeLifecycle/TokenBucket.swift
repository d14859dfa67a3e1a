import Foundation

/// A token bucket over an injected clock (client-go's `NewTokenBucketRateLimiter`, and its
/// `NewFakeNeverRateLimiter` when `qps` is 0): it starts full with `burst` tokens and refills at
/// `qps` tokens a second, never beyond `burst`. Callers pass the time, so tests need no waiting.
struct TokenBucket: Sendable, Equatable {
    /// Tokens added a second; 0 or less: none are ever given.
    let qps: Double
    let burst: Int
    private(set) var tokens: Double
    private(set) var last: Date

    init(qps: Double, burst: Int, now: Date) {
        self.qps = qps
        self.burst = burst
        tokens = qps > 0 ? Double(burst) : 0
        last = now
    }

    /// A bucket that never gives a token (upstream swaps one in to stop evictions).
    static func never(now: Date) -> TokenBucket { TokenBucket(qps: 0, burst: 0, now: now) }

    /// Takes a token if one is there at `now`.
    mutating func tryAccept(now: Date) -> Bool {
        guard qps > 0 else { return false }
        refill(now)
        guard tokens + Self.tolerance >= 1 else { return false }
        tokens = max(0, tokens - 1)
        return true
    }

    /// How long from `now` until a token is there (0: one is there now; nil: never).
    func delayUntilToken(now: Date) -> TimeInterval? {
        guard qps > 0 else { return nil }
        var bucket = self
        bucket.refill(now)
        return bucket.tokens + Self.tolerance >= 1 ? 0 : (1 - bucket.tokens) / qps
    }

    /// Rounding slack when a refill lands exactly on a whole token.
    private static let tolerance = 1e-9

    private mutating func refill(_ now: Date) {
        let elapsed = now.timeIntervalSince(last)
        if elapsed > 0 {
            tokens = min(Double(burst), tokens + elapsed * qps)
            last = now
        }
    }
}
