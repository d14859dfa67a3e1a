import KubeStore
import Testing
@testable import KubeAPIServer

/// A cached watch takes every buffered event at once, and is woken without a timer of its own:
/// by a push, by the end, by `wake()` (its client left) or by the cache's clock.
@Suite("Watch cache subscription")
struct WatchCacheSubscriptionTests {
    func event(_ name: String, revision: Revision, prefix: String = "/registry/core/pods/ns/") -> CachedEvent {
        let key = prefix + name
        return CachedEvent(kind: .put, key: key, revision: revision,
                           current: CachedObject(key: key, value: Array("{}".utf8), revision: revision), previous: nil)
    }

    func revisions(_ batch: WatchCacheSubscription.Batch) -> [Revision]? {
        guard case .events(let events) = batch else { return nil }
        return events.map(\.revision)
    }

    /// Waits until a long time from now: only a push, the end, a wake or a tick resumes it.
    static let never = ContinuousClock.now + .seconds(3600)

    @Test(arguments: [(5, 500, [[1, 2, 3, 4, 5]]), (5, 2, [[1, 2], [3, 4], [5]]), (1, 500, [[1]])])
    func takesEveryBufferedEventUpToTheLimit(pushed: Int, limit: Int, batches: [[Revision]]) async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/", capacity: 100, progress: 0)
        for revision in 1...pushed { _ = subscription.push(event("p\(revision)", revision: Revision(revision))) }
        for expected in batches {
            #expect(revisions(await subscription.take(limit: limit, until: Self.never)) == expected)
        }
        #expect(subscription.bookmarkRevision() == Revision(pushed))
    }

    @Test func otherKeysOnlyAdvanceTheBookmark() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/ns/", capacity: 100, progress: 3)
        #expect(subscription.push(event("x", revision: 7, prefix: "/registry/core/pods/other/")) == .open)
        #expect(subscription.bookmarkRevision() == 7)
        subscription.tick(.now + .seconds(7200))
        _ = subscription.push(event("a", revision: 8))
        #expect(subscription.bookmarkRevision() == nil)
        #expect(revisions(await subscription.take(limit: 10, until: Self.never)) == [8])
    }

    @Test func aWaitingConsumerIsResumedByAPush() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/", capacity: 100, progress: 0)
        await withTaskGroup(of: [Revision]?.self) { group in
            group.addTask { self.revisions(await subscription.take(limit: 10, until: Self.never)) }
            // Pushed before or after the consumer waits: it gets the event either way.
            _ = subscription.push(event("a", revision: 1))
            #expect(await group.next()! == [1])
        }
    }

    @Test func theClockEndsAWaitWhoseInstantPassed() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/", capacity: 100, progress: 0)
        let until = ContinuousClock.now + .seconds(600)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                if case .woken = await subscription.take(limit: 10, until: until) { return true }
                return false
            }
            while !subscription.hasWaiter { await Task.yield() }
            subscription.tick(until - .seconds(1))  // too early: still waiting
            #expect(subscription.hasWaiter)
            subscription.tick(until)
            #expect(await group.next() == true)
        }
    }

    @Test func wakeEndsTheNextWaitEvenIfNoneIsWaiting() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/", capacity: 100, progress: 0)
        subscription.wake()
        guard case .woken = await subscription.take(limit: 10, until: Self.never) else {
            Issue.record("expected the pending wake to end the wait")
            return
        }
    }

    @Test func cancellationEndsTheWaitAndKeepsTheEvents() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/", capacity: 100, progress: 0)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                if case .woken = await subscription.take(limit: 10, until: Self.never) { return true }
                return false
            }
            group.cancelAll()
            #expect(await group.next() == true)
        }
        _ = subscription.push(event("a", revision: 1))
        #expect(revisions(await subscription.take(limit: 10, until: Self.never)) == [1])
    }

    @Test func theEndComesAfterTheBufferedEvents() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/", capacity: 100, progress: 0)
        _ = subscription.push(event("a", revision: 1))
        subscription.end()
        #expect(subscription.push(event("b", revision: 2)) == .ended)
        #expect(revisions(await subscription.take(limit: 10, until: Self.never)) == [1])
        guard case .ended = await subscription.take(limit: 10, until: Self.never) else {
            Issue.record("expected the end")
            return
        }
    }

    @Test func overflowEndsTheSubscriptionAndDropsTheBuffer() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/core/pods/", capacity: 2, progress: 0)
        #expect(subscription.push(event("a", revision: 1)) == .open)
        #expect(subscription.push(event("b", revision: 2)) == .open)
        #expect(subscription.push(event("c", revision: 3)) == .overflowed)
        guard case .ended = await subscription.take(limit: 10, until: Self.never) else {
            Issue.record("expected the end")
            return
        }
    }
}
