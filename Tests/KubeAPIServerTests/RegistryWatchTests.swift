import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

@Suite("Registry: watch")
struct RegistryWatchTests {
    func open(_ h: RegistryHarness, _ path: String, _ query: [String: String]) async throws -> APIWatchStream.AsyncIterator {
        var query = query
        query["watch"] = "true"
        guard case .watch(let stream) = try await h.call("GET", path, query: query) else {
            throw APIError.internalError("not a watch")
        }
        return stream.makeAsyncIterator()
    }

    func describe(_ event: APIWatchEvent?) -> String {
        guard let event else { return "end" }
        switch event.payload {
        case .object, .cached:
            let o = try? event.object()
            return "\(event.type.rawValue) \(o?.metadata.name ?? "") \(o?.metadata.resourceVersion ?? "")"
        case .bookmark(_, _, let rv): return "BOOKMARK \(rv)"
        case .status(let s): return "ERROR \(s.code ?? 0)"
        }
    }

    @Test(arguments: [false, true]) func watchFromZeroStartsWithSyntheticAdded(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        let a = try await h.createPod("a")
        _ = try await h.createPod("b")
        var it = try await open(h, "/api/v1/namespaces/default/pods", ["resourceVersion": "0", "timeoutSeconds": "300"])
        #expect(describe(try await it.next()) == "ADDED a \(a.metadata.resourceVersion!)")
        #expect(describe(try await it.next()).hasPrefix("ADDED b"))
        let c = try await h.createPod("c")
        #expect(describe(try await it.next()) == "ADDED c \(c.metadata.resourceVersion!)")
        var changed = c
        changed.metadata.labels = ["x": "y"]
        let updated = try await h.object("PUT", "/api/v1/namespaces/default/pods/c", body: RegistryHarness.json(changed))
        #expect(describe(try await it.next()) == "MODIFIED c \(updated.metadata.resourceVersion!)")
        _ = try await h.call("DELETE", "/api/v1/namespaces/default/pods/c")
        let deletion = try await h.store.currentRevision()
        let event = try await it.next()
        #expect(describe(event) == "DELETED c \(deletion)")
        #expect(try event?.object()?.metadata.labels == ["x": "y"])
        }
    }

    @Test(arguments: [false, true]) func watchFromRevisionHasNoGap(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        let list = try await h.list("/api/v1/namespaces/default/pods")
        _ = try await h.createPod("x")
        _ = try await h.createPod("y")
        var it = try await open(h, "/api/v1/namespaces/default/pods",
                                ["resourceVersion": list.metadata.resourceVersion!, "timeoutSeconds": "300"])
        #expect(describe(try await it.next()).hasPrefix("ADDED x"))
        #expect(describe(try await it.next()).hasPrefix("ADDED y"))
        _ = try await h.createPod("z", namespace: "kube-system")  // other namespace: not seen
        _ = try await h.createPod("w")
        #expect(describe(try await it.next()).hasPrefix("ADDED w"))
        }
    }

    @Test(arguments: [false, true]) func selectorTransitionsAndNamedWatch(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        var it = try await open(h, "/api/v1/namespaces/default/pods", ["labelSelector": "app=web", "timeoutSeconds": "300"])
        let pod = try await h.createPod("p", labels: ["app": "other"])
        var relabelled = pod
        relabelled.metadata.labels = ["app": "web"]
        let now = try await h.object("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(relabelled))
        #expect(describe(try await it.next()).hasPrefix("ADDED p"))
        var away = try #require(now as? CoreV1.Pod)
        away.metadata.labels = ["app": "gone"]
        let gone = try await h.object("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(away))
        #expect(describe(try await it.next()) == "DELETED p \(gone.metadata.resourceVersion!)")

        var named = try await open(h, "/api/v1/watch/namespaces/default/pods/q", ["timeoutSeconds": "300"])
        _ = try await h.createPod("r")
        _ = try await h.createPod("q")
        #expect(describe(try await named.next()).hasPrefix("ADDED q"))
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: [false, true]) func timeoutEndsAndBookmarksWhileIdle(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache, bookmarkInterval: .milliseconds(200)) { h in
        let start = try await h.store.currentRevision()
        var it = try await open(h, "/api/v1/namespaces/default/pods",
                                ["resourceVersion": String(start), "allowWatchBookmarks": "true", "timeoutSeconds": "300"])
        #expect(describe(try await it.next()) == "BOOKMARK \(start)")
        _ = try await h.createPod("after-bookmark")  // the reopened store watch sees it
        var sawPod = false
        while let event = try await it.next() {
            if describe(event).hasPrefix("ADDED after-bookmark") {
                sawPod = true
                break
            }
        }
        #expect(sawPod)

        var short = try await open(h, "/api/v1/namespaces/default/pods", ["timeoutSeconds": "1"])
        #expect(describe(try await short.next()).hasPrefix("ADDED after-bookmark"))
        // Ends by itself: without timeoutSeconds the watch would last 30–60 minutes.
        #expect(try await short.next() == nil)
        }
    }

    @Test(arguments: [false, true]) func compactedRevisionGivesExpiredError(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        _ = try await h.createPod("a")
        _ = try await h.createPod("b")
        try await h.store.compact(try await h.store.currentRevision())
        var it = try await open(h, "/api/v1/namespaces/default/pods", ["resourceVersion": "2", "timeoutSeconds": "300"])
        #expect(describe(try await it.next()) == "ERROR 410")
        #expect(try await it.next() == nil)
        }
    }
}
