import Synchronization

/// client-go's client-side token bucket (`flowcontrol.NewTokenBucketRateLimiter`): `burst`
/// tokens refilled at `qps`; each request takes one, waiting for it when none is left. Waiters
/// are served in arrival order because each reserves its slot before it sleeps.
final class ClientRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    let qps: Double
    let burst: Int
    private let bucket: Mutex<Bucket>

    init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = max(1, burst)
        bucket = Mutex(Bucket(tokens: Double(max(1, burst)), last: .now))
    }

    /// Reserves a token and answers how long to wait before using it (zero when one is free).
    func reserve(now: ContinuousClock.Instant = .now) -> Duration {
        guard qps > 0 else { return .zero }
        return bucket.withLock { bucket in
            if now > bucket.last {
                let elapsed = now - bucket.last
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                bucket.tokens = min(Double(burst), bucket.tokens + seconds * qps)
                bucket.last = now
            }
            bucket.tokens -= 1
            guard bucket.tokens < 0 else { return .zero }
            return .seconds(-bucket.tokens / qps)
        }
    }

    /// Waits for a token (cancellable).
    func wait() async throws {
        let delay = reserve()
        if delay > .zero { try await Task.sleep(for: delay) }
    }
}
