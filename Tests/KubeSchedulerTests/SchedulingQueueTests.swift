import KubeModel
import Testing
@testable import KubeScheduler

@Suite struct SchedulingQueueTests {
    static func pod(_ name: String, priority: Int32 = 0) -> PodInfo {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.spec.priority = priority
        return PodInfo(pod)
    }

    @Test func popsByPriorityThenByQueueTime() {
        var queue = SchedulingQueue()
        let start = ContinuousClock.now
        queue.add(Self.pod("low", priority: 1), now: start)
        queue.add(Self.pod("high-later", priority: 10), now: start + .milliseconds(2))
        queue.add(Self.pod("high-first", priority: 10), now: start + .milliseconds(1))
        let order = (0..<3).compactMap { _ in queue.pop(now: start + .seconds(1))?.podInfo.name }
        #expect(order == ["high-first", "high-later", "low"])
        let leftover = queue.pop(now: start + .seconds(1))

        #expect(leftover == nil)
    }

    @Test func unschedulablePodsWaitForAClusterChange() throws {
        var queue = SchedulingQueue()
        let start = ContinuousClock.now
        queue.add(Self.pod("a"), now: start)
        let firstPop = queue.pop(now: start)
        let popped = try #require(firstPop)
        queue.requeueAfterFailure(popped, error: false, now: start)
        #expect(queue.unschedulableCount == 1)
        let tooSoon = queue.pop(now: start + .seconds(20))

        #expect(tooSoon == nil)
        // After its 1 s backoff has run out, a node event sends it straight back to active.
        queue.moveAllToActiveOrBackoff(now: start + .seconds(2))
        #expect(queue.activeCount == 1)
        let retried = queue.pop(now: start + .seconds(2))

        #expect(retried?.attempts == 2)
    }

    @Test func aClusterChangeDuringBackoffGoesThroughTheBackoffQueue() throws {
        var queue = SchedulingQueue()
        let start = ContinuousClock.now
        queue.add(Self.pod("a"), now: start)
        let first = queue.pop(now: start)
        let popped = try #require(first)
        queue.requeueAfterFailure(popped, error: false, now: start)
        queue.moveAllToActiveOrBackoff(now: start + .milliseconds(10))
        #expect(queue.backoffCount == 1)
        let early = queue.pop(now: start + .milliseconds(500))
        #expect(early == nil)
        #expect(queue.nextDeadline == start + .seconds(1))
        let again = queue.pop(now: start + .seconds(1))
        #expect(again?.podInfo.name == "a")
    }

    /// Upstream's pod backoff: 1 s, doubled per attempt, at most 10 s.
    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (9, 10)])
    func backoffDoublesUpToTenSeconds(attempts: Int, seconds: Int) {
        var queued = QueuedPodInfo(Self.pod("a"), now: .now)
        queued.attempts = attempts
        #expect(queued.backoffDuration(initial: .seconds(1), maximum: .seconds(10)) == .seconds(seconds))
    }

    @Test func errorsAndChangesWhileInFlightGoToBackoffNotUnschedulable() throws {
        var queue = SchedulingQueue()
        let start = ContinuousClock.now
        queue.add(Self.pod("a"), now: start)
        queue.add(Self.pod("b"), now: start)
        let firstPop = queue.pop(now: start)
        let a = try #require(firstPop)
        let secondPop = queue.pop(now: start)
        let b = try #require(secondPop)
        queue.requeueAfterFailure(a, error: true, now: start)
        queue.moveAllToActiveOrBackoff(now: start)
        queue.requeueAfterFailure(b, error: false, now: start)
        #expect(queue.backoffCount == 2)
        #expect(queue.unschedulableCount == 0)
    }

    @Test func parkedPodsAreRetriedAfterFiveMinutes() throws {
        var queue = SchedulingQueue()
        let start = ContinuousClock.now
        queue.add(Self.pod("a"), now: start)
        let firstPop = queue.pop(now: start)
        let popped = try #require(firstPop)
        queue.requeueAfterFailure(popped, error: false, now: start)
        let stillParked = queue.pop(now: start + .seconds(299))

        #expect(stillParked == nil)
        let retriedLater = queue.pop(now: start + .seconds(330))

        #expect(retriedLater?.podInfo.name == "a")
    }

    @Test func aSpecChangeRetriesAParkedPodAndDeletesRemoveIt() throws {
        var queue = SchedulingQueue()
        let start = ContinuousClock.now
        queue.add(Self.pod("a"), now: start)
        queue.add(Self.pod("b"), now: start)
        for _ in 0..<2 {
            let firstPop = queue.pop(now: start)
            let popped = try #require(firstPop)
            queue.requeueAfterFailure(popped, error: false, now: start)
        }
        queue.update(Self.pod("a", priority: 5), specChanged: true, now: start + .seconds(5))
        queue.delete("default/b")
        let changed = queue.pop(now: start + .seconds(5))

        #expect(changed?.podInfo.priority == 5)
        #expect(queue.isEmpty)
    }
}
