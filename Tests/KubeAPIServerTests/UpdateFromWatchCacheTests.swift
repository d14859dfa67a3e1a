import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

/// Updates start from the watch cache's copy (``UpdateBase``), as upstream's `GuaranteedUpdate`
/// does. A stale copy must never decide the outcome: these tests stop the cache, change the
/// object behind its back, and expect exactly what a read of the store gives.
@Suite struct UpdateFromWatchCacheTests {
    static let podPath = "/api/v1/namespaces/default/pods"
    static let pods = KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "pods")!
    static let key = ResourceRegistry.key(pods, namespace: "default", name: "p")

    /// Creates pod `p`, lets the cache see it, stops the cache, then runs `change` on the store
    /// directly (the cache keeps the old copy), then `body`.
    static func withStaleCache(change: (inout CoreV1.Pod) -> Void,
                               _ body: (RegistryHarness, _ cachedVersion: String, _ storedVersion: String) async throws -> Void)
        async throws {
        let h = try await RegistryHarness(cache: true)
        let cache = try #require(h.registry.watchCache)
        let created = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cache.follow() }
            _ = await cache.waitUntil(1, timeout: .seconds(30))
            let pod = try await h.createPod("p", labels: ["app": "web"])
            _ = await cache.waitUntil(try await h.store.currentRevision(), timeout: .seconds(30))
            group.cancelAll()
            try await group.waitForAll()
            return pod
        }
        let storedKV = try #require(try await h.store.get(key))
        var pod = try #require(try ResourceRegistry.decodeStored(storedKV.value, revision: 0, as: pods) as? CoreV1.Pod)
        change(&pod)
        let cachedVersion = try #require(created.metadata.resourceVersion)
        let result = try await h.store.update(key, try ResourceRegistry.encodeForStorage(pod),
                                              expectedModRevision: Revision(cachedVersion)!)
        #expect(result.succeeded)
        let cachedRevision = cache.object(forKey: key)?.revision
        #expect(cachedRevision == Revision(cachedVersion), "the cache must stay behind")
        try await body(h, cachedVersion, String(result.revision))
    }

    static func storedPod(_ h: RegistryHarness) async throws -> CoreV1.Pod {
        let kv = try #require(try await h.store.get(key))
        return try #require(try ResourceRegistry.decodeStored(kv.value, revision: kv.modRevision, as: pods) as? CoreV1.Pod)
    }

    @Test func aStatusUpdateKeepsWhatTheStaleCopyDoesNotHave() async throws {
        try await Self.withStaleCache(change: { $0.metadata.labels?["tier"] = "front" }) { h, _, _ in
            var pod = try await Self.storedPod(h)
            pod.metadata.resourceVersion = nil
            pod.status.phase = "Running"
            _ = try await h.object("PUT", "\(Self.podPath)/p/status", body: RegistryHarness.json(pod))
            let stored = try await Self.storedPod(h)
            #expect(stored.status.phase == "Running")
            #expect(stored.metadata.labels == ["app": "web", "tier": "front"])
        }
    }

    @Test func theStoresVersionIsNotAConflict() async throws {
        try await Self.withStaleCache(change: { $0.metadata.labels?["tier"] = "front" }) { h, _, storedVersion in
            var pod = try await Self.storedPod(h)
            pod.metadata.resourceVersion = storedVersion
            pod.metadata.annotations = ["note": "x"]
            let updated = try await h.object("PUT", "\(Self.podPath)/p", body: RegistryHarness.json(pod))
            #expect(updated.metadata.annotations == ["note": "x"])
            #expect(Int64(updated.metadata.resourceVersion ?? "") ?? 0 > Int64(storedVersion)!)
        }
    }

    @Test func theCachesOldVersionIsAConflict() async throws {
        try await Self.withStaleCache(change: { $0.metadata.labels?["tier"] = "front" }) { h, cachedVersion, _ in
            var pod = try await Self.storedPod(h)
            pod.metadata.resourceVersion = cachedVersion
            pod.metadata.annotations = ["note": "x"]
            let error = await h.error("PUT", "\(Self.podPath)/p", body: RegistryHarness.json(pod))
            guard case .conflict? = error else {
                Issue.record("expected a conflict, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func anUpdateTheStaleCopyWouldMakeANoOpIsWritten() async throws {
        // The store's object has the label; the cache's copy not. Putting the cache's copy back
        // must remove the label, not be taken for "nothing changed".
        try await Self.withStaleCache(change: { $0.metadata.labels?["tier"] = "front" }) { h, _, storedVersion in
            var pod = try await Self.storedPod(h)
            pod.metadata.labels = ["app": "web"]
            pod.metadata.resourceVersion = nil
            _ = try await h.object("PUT", "\(Self.podPath)/p", body: RegistryHarness.json(pod))
            let kv = try #require(try await h.store.get(Self.key))
            #expect(kv.modRevision > Revision(storedVersion)!)
            let stored = try await Self.storedPod(h)
            #expect(stored.metadata.labels == ["app": "web"])
        }
    }

    @Test func bindingAPodTheStaleCopyShowsUnboundIsAConflict() async throws {
        try await Self.withStaleCache(change: { $0.spec.nodeName = "node-2" }) { h, _, _ in
            let error = await h.error("POST", "\(Self.podPath)/p/binding", body: #"""
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}
                """#)
            guard case .conflict(_, _, let message)? = error else {
                Issue.record("expected a conflict, got \(String(describing: error))")
                return
            }
            #expect(message == #"pod p is already assigned to node "node-2""#)
            let stored = try await Self.storedPod(h)
            #expect(stored.spec.nodeName == "node-2")
        }
    }

    @Test func bindingFromAStaleCopyKeepsTheStoresChanges() async throws {
        try await Self.withStaleCache(change: { $0.metadata.labels?["tier"] = "front" }) { h, _, _ in
            _ = try await h.call("POST", "\(Self.podPath)/p/binding", body: #"""
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}
                """#)
            let stored = try await Self.storedPod(h)
            #expect(stored.spec.nodeName == "node-1")
            #expect(stored.metadata.labels == ["app": "web", "tier": "front"])
        }
    }
}
