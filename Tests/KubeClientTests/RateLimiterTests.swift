import KubeClient
import Testing

/// Cases from client-go's `workqueue` rate limiter tests.
@Suite struct RateLimiterTests {
    @Test func exponentialBackoffDoublesPerItemAndForgets() {
        var limiter = ItemExponentialFailureRateLimiter<String>(base: .milliseconds(1), max: .seconds(1))
        let now = ContinuousClock.now
        #expect((0..<5).map { _ in limiter.when("one", now: now) } == [1, 2, 4, 8, 16].map { .milliseconds($0) })
        #expect(limiter.retries("one") == 5)
        #expect(limiter.when("two", now: now) == .milliseconds(1))
        #expect(limiter.when("two", now: now) == .milliseconds(2))
        #expect(limiter.retries("two") == 2)
        limiter.forget("one")
        #expect(limiter.retries("one") == 0)
        #expect(limiter.when("one", now: now) == .milliseconds(1))
    }

    @Test func exponentialBackoffStopsAtItsCapWithoutOverflow() {
        var limiter = ItemExponentialFailureRateLimiter<Int>(base: .nanoseconds(1), max: .seconds(1000))
        let delays = (0..<200).map { _ in limiter.when(7, now: .now) }
        #expect(delays.last == .seconds(1000))
        #expect(delays == delays.sorted())
    }

    @Test func bucketAllowsItsBurstThenPacesAtItsRate() {
        var limiter = BucketRateLimiter<Int>(perSecond: 10, burst: 100)
        let now = ContinuousClock.now
        for i in 0..<100 { #expect(limiter.when(i, now: now) == .zero) }
        #expect(limiter.when(100, now: now) == .milliseconds(100))
        #expect(limiter.when(101, now: now) == .milliseconds(200))
        // A second later, ten tokens have come back: the debt of two is paid, eight are left.
        for i in 0..<8 { #expect(limiter.when(200 + i, now: now + .seconds(1)) == .zero) }
        #expect(limiter.when(300, now: now + .seconds(1)) == .milliseconds(100))
    }

    @Test func maxOfTakesTheLongestDelay() {
        var limiter = MaxOfRateLimiter<String>([
            ItemExponentialFailureRateLimiter<String>(base: .milliseconds(1), max: .seconds(1)),
            BucketRateLimiter<String>(perSecond: 10, burst: 3),
        ])
        let now = ContinuousClock.now
        let delays = (0..<5).map { _ in limiter.when("a", now: now) }
        #expect(delays == [.milliseconds(1), .milliseconds(2), .milliseconds(4), .milliseconds(100), .milliseconds(200)])
        #expect(limiter.retries("a") == 5)
        limiter.forget("a")
        #expect(limiter.retries("a") == 0)
    }
}
