import Foundation
@testable import KubeControllerManager
import Testing

/// The token bucket and the per-zone rate-limited queue (upstream's rate_limited_queue_test.go,
/// with a token bucket fast enough for each step instead of client-go's "always" limiter).
@Suite struct NodeRateLimitedQueueTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// Runs upstream's `Try` over `queue`: hands out values while a token is there and the head
    /// is due, `action` answering (done, retry after). `clock` steps one token's worth each time.
    static func tryAll(_ queue: inout RateLimitedTimedQueue, clock: inout Date,
                       _ action: (RateLimitedTimedQueue.TimedValue) -> (Bool, TimeInterval)) {
        while let value = queue.next(now: clock) {
            let (done, retryAfter) = action(value)
            queue.finish(value, succeeded: done, retryAfter: retryAfter, now: clock)
            clock.addTimeInterval(1)
        }
    }

    static func filled(_ values: [String] = ["first", "second", "third"]) -> RateLimitedTimedQueue {
        var queue = RateLimitedTimedQueue(qps: 1, now: start)
        for (offset, value) in values.enumerated() {
            queue.add(value, uid: "\(offset + 1)", now: start.addingTimeInterval(Double(offset) * 0.001))
        }
        return queue
    }

    @Test func addQueuesInOrderAndHoldsEachValueOnce() {
        var queue = Self.filled()
        #expect(queue.queue.map(\.value) == ["first", "second", "third"])
        #expect(queue.held == ["first", "second", "third"])
        let addedAgain = queue.add("first", uid: "1", now: Self.start)
        #expect(!addedAgain)
        #expect(queue.queue.count == 3)
    }

    @Test(arguments: [
        ("first", ["second", "third"]), ("second", ["first", "third"]), ("third", ["first", "second"]),
    ])
    func removeDropsTheValue(_ removed: String, _ remaining: [String]) {
        var queue = Self.filled()
        let removedOnce = queue.remove(removed)
        #expect(removedOnce)
        #expect(queue.queue.map(\.value) == remaining)
        #expect(queue.held == Set(remaining))
        let removedTwice = queue.remove(removed)
        #expect(!removedTwice)
    }

    @Test func tryProcessesEachValueOnceUntilItIsRemoved() {
        var queue = Self.filled()
        queue.remove("second")
        var clock = Self.start
        var processed: [String] = []
        Self.tryAll(&queue, clock: &clock) { processed.append($0.value); return (true, 0) }
        #expect(processed == ["first", "third"])
        // Processed values stay held: adding one again does nothing until it is removed.
        let addedWhileHeld = queue.add("first", uid: "1", now: clock)
        #expect(!addedWhileHeld)
        Self.tryAll(&queue, clock: &clock) { _ in
            Issue.record("a value was processed twice without an explicit remove")
            return (true, 0)
        }
        let removed = queue.remove("first")
        let addedAfterRemove = queue.add("first", uid: "1", now: clock)
        #expect(removed && addedAfterRemove)
        Self.tryAll(&queue, clock: &clock) { processed.append($0.value); return (true, 0) }
        #expect(processed == ["first", "third", "first"])
    }

    @Test func aFailedValueIsRetriedAfterItsWait() {
        var queue = Self.filled()
        var clock = Self.start
        var order: [String] = []
        var retriedAt: Date?
        Self.tryAll(&queue, clock: &clock) { value in
            if value.value == "second" && !order.contains("retry") {
                order.append("retry")
                return (false, 2)
            }
            if value.value == "second" { retriedAt = value.processAt }
            order.append(value.value)
            return (true, 0)
        }
        // second failed at start+1 and was due again 2 s later, after third (start+2).
        #expect(order == ["first", "retry", "third", "second"])
        #expect(retriedAt == Self.start.addingTimeInterval(3))
        #expect(queue.queue.isEmpty)
    }

    @Test func aValueRemovedWhileItIsProcessedIsNotRetried() {
        var queue = Self.filled()
        var clock = Self.start
        var order: [String] = []
        var removedOnce = false
        while let value = queue.next(now: clock) {
            if value.value == "second" && !removedOnce {
                removedOnce = true
                queue.remove("second")
                queue.finish(value, succeeded: false, retryAfter: 0.001, now: clock)
            } else {
                order.append(value.value)
                queue.finish(value, succeeded: true, retryAfter: 0, now: clock)
            }
            clock.addTimeInterval(1)
        }
        #expect(order == ["first", "third"])
        #expect(queue.queue.isEmpty)
    }

    struct BucketCase: Sendable, CustomTestStringConvertible {
        var label: String
        var qps: Double
        /// Seconds after the start at which a token is asked for, and whether one is given.
        var asks: [(at: TimeInterval, accepted: Bool)]
        var testDescription: String { label }
    }

    static let bucketCases: [BucketCase] = [
        BucketCase(label: "--node-eviction-rate 0.1: one node at once, then one each 10 s", qps: 0.1,
                   asks: [(0, true), (0, false), (9.9, false), (10, true), (15, false), (20, true)]),
        BucketCase(label: "--secondary-node-eviction-rate 0.01: one each 100 s", qps: 0.01,
                   asks: [(0, true), (60, false), (99.9, false), (100, true)]),
        BucketCase(label: "burst 1: idle time does not save up tokens", qps: 0.1,
                   asks: [(100, true), (100, false), (110, true)]),
        BucketCase(label: "qps 0 never gives a token", qps: 0, asks: [(0, false), (1_000_000, false)]),
    ]

    @Test(arguments: bucketCases)
    func tokenBucket(_ testCase: BucketCase) {
        var bucket = TokenBucket(qps: testCase.qps, burst: 1, now: Self.start)
        for ask in testCase.asks {
            let accepted = bucket.tryAccept(now: Self.start.addingTimeInterval(ask.at))
            #expect(accepted == ask.accepted, "at \(ask.at)")
        }
    }

    @Test func delayUntilTokenCountsTheRefill() throws {
        var bucket = TokenBucket(qps: 0.1, burst: 1, now: Self.start)
        #expect(bucket.delayUntilToken(now: Self.start) == 0)
        let accepted = bucket.tryAccept(now: Self.start)
        #expect(accepted)
        let delay = try #require(bucket.delayUntilToken(now: Self.start.addingTimeInterval(4)))
        #expect(abs(delay - 6) < 1e-9)
        #expect(TokenBucket.never(now: Self.start).delayUntilToken(now: Self.start) == nil)
    }

    @Test func swapLimiter() {
        var queue = RateLimitedTimedQueue(qps: 0.1, now: Self.start)
        let original = queue.limiter
        queue.swapLimiter(qps: 0.1, now: Self.start.addingTimeInterval(5))
        #expect(queue.limiter == original, "the limiter is not swapped when the rate is the same")
        queue.swapLimiter(qps: 0, now: Self.start)
        #expect(queue.qps == 0)
        // Leaving a limiter without tokens (the "never" one): the new one starts drained.
        queue.swapLimiter(qps: 5.5, now: Self.start)
        #expect(queue.qps == 5.5)
        var drained = queue.limiter
        let drainedAccepts = drained.tryAccept(now: Self.start)
        #expect(!drainedAccepts)
        // Leaving a limiter with a token: the new one starts full.
        var full = RateLimitedTimedQueue(qps: 0.1, now: Self.start)
        full.swapLimiter(qps: 0.01, now: Self.start)
        var swapped = full.limiter
        let swappedAccepts = swapped.tryAccept(now: Self.start)
        #expect(swappedAccepts)
    }
}
