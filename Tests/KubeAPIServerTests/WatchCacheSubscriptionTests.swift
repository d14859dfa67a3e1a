import KubeStore
import Testing
@testable import KubeAPIServer

/// A cached watch's subscription: events come out in order, whether the consumer takes them
/// without waiting (`poll`, when it is behind) or waits for them (`next`).
@Suite struct WatchCacheSubscriptionTests {
    static func event(_ name: String, _ revision: Revision) -> CachedEvent {
        let key = "/registry/configmaps/default/\(name)"
        return CachedEvent(kind: .put, key: key, revision: revision,
                           current: CachedObject(key: key, value: Array("{}".utf8), revision: revision), previous: nil)
    }

    static func revision(_ next: WatchCacheSubscription.Next?) -> Revision? {
        if case .event(let event)? = next { return event.revision }
        return nil
    }

    @Test func pollTakesBufferedEventsInOrderThenEnds() async {
        let subscription = WatchCacheSubscription(prefix: "/registry/configmaps/", capacity: 10, progress: 1)
        #expect(subscription.poll() == nil, "nothing buffered: the consumer must wait")
        #expect(subscription.push(Self.event("a", 2)))
        #expect(subscription.push(Self.event("b", 3)))
        #expect(subscription.push(CachedEvent(kind: .put, key: "/registry/secrets/default/s", revision: 4)))
        #expect(Self.revision(subscription.poll()) == 2)
        #expect(Self.revision(await subscription.next()) == 3)
        #expect(subscription.poll() == nil, "another resource's event only records progress")
        #expect(subscription.bookmarkRevision() == 4)
        #expect(subscription.push(Self.event("c", 5)))
        subscription.end()
        #expect(Self.revision(subscription.poll()) == 5, "buffered events still come out after the end")
        guard case .ended? = subscription.poll() else {
            Issue.record("expected the end")
            return
        }
    }
}

extension WatchCacheSubscription.Next: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.ended, .ended), (.interrupted, .interrupted): true
        case (.event(let l), .event(let r)): l.key == r.key && l.revision == r.revision
        default: false
        }
    }
}
