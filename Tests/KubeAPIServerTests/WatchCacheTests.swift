import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

@Suite("Watch cache")
struct WatchCacheTests {
    /// Runs `body` with a cache following an in-memory store.
    func withCache(historyLimit: Int = 10_000, capacity: Int = 10_000,
                   _ body: (InMemoryStore, WatchCache) async throws -> Void) async throws {
        let store = InMemoryStore()
        let cache = WatchCache(store: store, historyLimit: historyLimit, subscriptionCapacity: capacity)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cache.follow() }
            #expect(await cache.waitUntil(1, timeout: .seconds(30)))
            try await body(store, cache)
            group.cancelAll()
        }
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: [
        ("/registry/core/pods/ns/a", "/registry/core/pods/"),
        ("/registry/apps/deployments/x", "/registry/apps/deployments/"),
        ("/registry/core/pods/", "/registry/core/pods/"),
        ("/registry/core/pods", nil),
        ("/other", nil),
    ] as [(String, String?)])
    func resourcePrefix(key: String, prefix: String?) {
        #expect(WatchCache.resourcePrefix(of: key) == prefix)
    }

    @Test func followsPutsAndDeletesAndCatchesUp() async throws {
        try await withCache { store, cache in
            _ = try await store.put("/registry/core/configmaps/a/one", bytes("{}"))
            _ = try await store.put("/registry/core/configmaps/b/two", bytes("{}"))
            let (revision, _) = try await store.delete(.key("/registry/core/configmaps/a/one"))
            #expect(await cache.waitUntil(revision, timeout: .seconds(30)))
            let all = try #require(cache.snapshot(prefix: "/registry/core/configmaps/"))
            #expect(all.objects.map(\.key) == ["/registry/core/configmaps/b/two"])
            #expect(all.revision == revision)
            #expect(cache.snapshot(prefix: "/registry/core/configmaps/a/")?.objects.isEmpty == true)
            // A revision the store has not reached: the wait gives up.
            #expect(await cache.waitUntil(revision + 5, timeout: .milliseconds(50)) == false)
        }
    }

    @Test func windowReplaysRecentRevisionsOnly() async throws {
        try await withCache(historyLimit: 5) { store, cache in
            var revisions: [Revision] = []
            for i in 0..<20 { revisions.append(try await store.put("/registry/core/configmaps/ns/c\(i)", bytes("{}")).revision) }
            #expect(await cache.waitUntil(revisions.last!, timeout: .seconds(30)))
            guard case .beforeWindow = cache.startWatch(prefix: "/registry/core/configmaps/", after: revisions[2]) else {
                Issue.record("an old revision is outside the window")
                return
            }
            guard case .replay(let events, _) = cache.startWatch(prefix: "/registry/core/configmaps/", after: revisions[16]) else {
                Issue.record("a recent revision is replayed")
                return
            }
            #expect(events.map(\.revision) == Array(revisions[17...]))
        }
    }

    /// Each resource's window reaches back to its own oldest trimmed event, as upstream's
    /// per-resource caches do: churn of another resource does not push it out.
    @Test func otherResourcesChurnKeepsAResourceWindow() async throws {
        try await withCache(historyLimit: 5) { store, cache in
            let pod = try await store.put("/registry/core/pods/ns/p", bytes("{}")).revision
            var last: Revision = pod
            for i in 0..<20 { last = try await store.put("/registry/coordination.k8s.io/leases/ns/l\(i % 3)", bytes("{}")).revision }
            #expect(await cache.waitUntil(last, timeout: .seconds(30)))
            // The pod's own event was trimmed: a watch from before it cannot be replayed…
            guard case .beforeWindow = cache.startWatch(prefix: "/registry/core/pods/", after: pod - 1) else {
                Issue.record("a trimmed pod event is outside the pods' window")
                return
            }
            // …but from it on, no pod event is missing, however old the revision is.
            guard case .replay(let events, _) = cache.startWatch(prefix: "/registry/core/pods/", after: pod) else {
                Issue.record("no pod event after the revision was trimmed")
                return
            }
            #expect(events.isEmpty)
            let next = try await store.put("/registry/core/pods/ns/q", bytes("{}")).revision
            #expect(await cache.waitUntil(next, timeout: .seconds(30)))
            guard case .replay(let later, _) = cache.startWatch(prefix: "/registry/core/pods/", after: pod) else {
                Issue.record("the pods' window reaches back to the first pod event")
                return
            }
            #expect(later.map(\.revision) == [next])
            // Leases did lose events after `pod`.
            guard case .beforeWindow = cache.startWatch(prefix: "/registry/coordination.k8s.io/leases/", after: pod) else {
                Issue.record("trimmed lease events are outside the leases' window")
                return
            }
        }
    }

    @Test func slowSubscriptionIsEnded() async throws {
        try await withCache(capacity: 3) { store, cache in
            guard case .snapshot(_, _, let handle) = cache.startWatch(prefix: "/registry/core/configmaps/", after: nil) else {
                Issue.record("the cache is loaded")
                return
            }
            var last: Revision = 0
            for i in 0..<6 { last = try await store.put("/registry/core/configmaps/ns/c\(i)", bytes("{}")).revision }
            #expect(await cache.waitUntil(last, timeout: .seconds(30)))
            // Three buffered events were dropped with the overflow; the consumer sees the end.
            var seen = 0
            while case .events(let events) = await handle.subscription.take(limit: 100, until: .now + .seconds(30)) {
                seen += events.count
            }
            #expect(seen == 0)
        }
    }

    @Test func fanOutSharesOneDecodedObject() async throws {
        try await withCache { store, cache in
            let resource = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "configmaps"))
            var handles: [WatchSubscriptionHandle] = []
            for _ in 0..<10 {
                guard case .snapshot(_, _, let handle) = cache.startWatch(prefix: "/registry/core/configmaps/", after: nil) else { return }
                handles.append(handle)
            }
            _ = try await store.put("/registry/core/configmaps/ns/x", bytes(#"{"metadata":{"name":"x","namespace":"ns"}}"#))
            var objects: [CachedObject] = []
            for handle in handles {
                guard case .events(let events) = await handle.subscription.take(limit: 1, until: .now + .seconds(30)),
                      let event = events.first else { continue }
                objects.append(try #require(event.current))
            }
            #expect(objects.count == 10)
            #expect(Set(objects.map { ObjectIdentifier($0) }).count == 1)
            let object = try objects[0].object(as: resource)
            #expect(object.metadata.name == "x")
            #expect(object.kind == "ConfigMap")
        }
    }
}
