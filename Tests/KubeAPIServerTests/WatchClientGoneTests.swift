import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// An idle watch (no events, no bookmarks, a long timeout) ends as soon as its client goes
/// away, and the watch cache stops feeding it.
@Suite(.timeLimit(.minutes(1)))
struct WatchClientGoneTests {
    @Test(arguments: [false, true])
    func idleWatchEndsWhenItsClientLeaves(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
            let gone = ConnectionClosedSignal()
            let query = ["watch": "true", "resourceVersion": "0", "timeoutSeconds": "3600"]
            guard case .watch(let stream) = try await h.call(
                "GET", "/api/v1/namespaces/default/configmaps", query: query, connectionClosed: gone) else {
                Issue.record("not a watch")
                return
            }
            var events = stream.makeAsyncIterator()
            async let next = events.next()
            gone.fire()
            #expect(try await next == nil)
        }
        // With the cache, the subscription is gone once the watch is released.
        let h = try await RegistryHarness(cache: true)
        let cache = try #require(h.registry.watchCache)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cache.follow() }
            _ = await cache.waitUntil(1, timeout: .seconds(30))
            let gone = ConnectionClosedSignal()
            do {
                guard case .watch(let stream) = try await h.call(
                    "GET", "/api/v1/namespaces/default/configmaps", query: ["watch": "true", "timeoutSeconds": "3600"],
                    connectionClosed: gone) else { return }
                #expect(cache.subscriberCount == 1)
                gone.fire()
                for try await _ in stream {}
            }
            #expect(cache.subscriberCount == 0)
            group.cancelAll()
        }
    }

    @Test func signalWakesWaitersBeforeAndAfterFiring() async {
        let signal = ConnectionClosedSignal()
        async let early: Void = signal.wait()
        signal.fire()
        await early
        await signal.wait()
        #expect(signal.isFired)
    }

    @Test func waitingEndsWithTheTask() async {
        let signal = ConnectionClosedSignal()
        let waiter = Task { await signal.wait() }
        waiter.cancel()
        await waiter.value
        #expect(!signal.isFired)
    }
}
