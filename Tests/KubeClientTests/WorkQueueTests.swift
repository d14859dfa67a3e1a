import KubeClient
import Synchronization
import Testing

/// client-go's work queue guarantees: de-duplication, one worker per key, delays, shut down.
@Suite(.timeLimit(.minutes(1)))
struct WorkQueueTests {
    @Test func keysAreQueuedOnceAndNeverHandedToTwoWorkers() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.count == 2)
        let first = await queue.get()
        #expect(first == "a")
        // Added while being processed: held back until done.
        await queue.add("a")
        #expect(await queue.count == 1)
        #expect(await queue.get() == "b")
        #expect(await queue.count == 0)
        await queue.done("a")
        #expect(await queue.count == 1)
        #expect(await queue.get() == "a")
        await queue.done("a")
        await queue.done("b")
        #expect(await queue.count == 0)
    }

    @Test func delayedKeysArriveAndTheEarliestTimeWins() async {
        let queue = WorkQueue<String>()
        await queue.addAfter("late", .seconds(3600))
        await queue.addAfter("late", .milliseconds(20))
        await queue.addAfter("soon", .milliseconds(10))
        #expect(await queue.count == 0)
        let first = await queue.get()
        let second = await queue.get()
        #expect([first, second] == ["soon", "late"])
        await queue.addAfter("now", .zero)
        #expect(await queue.count == 1)
    }

    @Test func rateLimitedAddsCountRetriesUntilForgotten() async {
        let queue = WorkQueue<String>(rateLimiter: ItemExponentialFailureRateLimiter(base: .milliseconds(1), max: .milliseconds(10)))
        await queue.addRateLimited("x")
        #expect(await queue.get() == "x")
        await queue.done("x")
        await queue.addRateLimited("x")
        #expect(await queue.get() == "x")
        #expect(await queue.retries("x") == 2)
        await queue.forget("x")
        #expect(await queue.retries("x") == 0)
    }

    @Test func shutDownDrainsWhatIsQueuedThenEndsWorkers() async {
        let queue = WorkQueue<Int>()
        await queue.add(1)
        await queue.add(2)
        await queue.shutDown()
        await queue.add(3)
        #expect(await queue.get() == 1)
        #expect(await queue.get() == 2)
        #expect(await queue.get() == nil)
        // A worker already waiting is released by the shut down.
        let idle = WorkQueue<Int>()
        async let waiting = idle.get()
        await idle.shutDown()
        #expect(await waiting == nil)
    }

    @Test func concurrentWorkersNeverShareAKey() async {
        let queue = WorkQueue<Int>()
        final class Ledger: Sendable {
            let busy = Mutex<Set<Int>>([])
            let overlaps = Mutex(0)
            let processed = Mutex(0)
        }
        let ledger = Ledger()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await queue.get() {
                        if !ledger.busy.withLock({ $0.insert(key).inserted }) { ledger.overlaps.withLock { $0 += 1 } }
                        await Task.yield()
                        ledger.busy.withLock { _ = $0.remove(key) }
                        ledger.processed.withLock { $0 += 1 }
                        await queue.done(key)
                    }
                }
            }
            for round in 0..<50 {
                for key in 0..<10 { await queue.add(key) }
                if round % 10 == 0 { await Task.yield() }
            }
            await queue.shutDown()
        }
        #expect(ledger.overlaps.withLock { $0 } == 0)
        #expect(ledger.processed.withLock { $0 } >= 10)
    }

    /// One idle worker sleeps until the next delayed key is due; when it leaves to process a
    /// key, another idle worker takes the timer over, so a busy worker never holds back keys
    /// that come due.
    @Test func delayedKeysReachIdleWorkersWhileOthersAreBusy() async {
        let queue = WorkQueue<String>()
        let release = ChangeSignal()
        let (seen, report) = AsyncStream.makeStream(of: String.self)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    while let key = await queue.get() {
                        report.yield(key)
                        // "block" keeps its worker busy until the test ends it.
                        if key == "block" { await release.wait(after: 0, until: nil) }
                        await queue.done(key)
                    }
                }
            }
            await queue.addAfter("d1", .milliseconds(30))
            await queue.add("block")
            await queue.addAfter("d2", .milliseconds(60))
            await queue.addAfter("d0", .milliseconds(5))
            var order: [String] = []
            for await key in seen {
                order.append(key)
                if order.count == 4 { break }
            }
            #expect(order == ["block", "d0", "d1", "d2"])
            release.notify()
            await queue.shutDown()
        }
    }

    /// Many delayed keys and many workers (the hollow nodes' heartbeat queue): every key comes
    /// out once per schedule, in due order.
    @Test func manyDelayedKeysWithManyWorkers() async {
        let queue = WorkQueue<Int>()
        let (processed, report) = AsyncStream.makeStream(of: Int.self)
        var done: [Int] = []
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    while let key = await queue.get() {
                        report.yield(key)
                        await queue.done(key)
                    }
                }
            }
            for key in 0..<200 { await queue.addAfter(key, .microseconds(200 * (key + 1))) }
            for await key in processed {
                done.append(key)
                if done.count == 200 { break }
            }
            await queue.shutDown()
        }
        #expect(done.sorted() == Array(0..<200))
    }
}
