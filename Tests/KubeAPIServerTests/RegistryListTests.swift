import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

@Suite("Registry: list, selectors, pagination")
struct RegistryListTests {
    @Test(arguments: [false, true]) func labelAndFieldSelectors(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        _ = try await h.object("POST", "/api/v1/namespaces", body: #"{"metadata":{"name":"other"}}"#)
        _ = try await h.createPod("a", labels: ["app": "x"], nodeName: "n1")
        _ = try await h.createPod("b", labels: ["app": "y"])
        _ = try await h.createPod("c", namespace: "other", labels: ["app": "x"], nodeName: "n1")

        func names(_ path: String, _ query: [String: String]) async throws -> [String] {
            try await h.list(path, query: query).items.compactMap(\.metadata.name)
        }
        #expect(try await names("/api/v1/namespaces/default/pods", [:]) == ["a", "b"])
        #expect(try await names("/api/v1/pods", [:]) == ["a", "b", "c"])
        #expect(try await names("/api/v1/pods", ["labelSelector": "app=x"]) == ["a", "c"])
        #expect(try await names("/api/v1/pods", ["labelSelector": "app in (y)"]) == ["b"])
        #expect(try await names("/api/v1/pods", ["fieldSelector": "spec.nodeName=n1,metadata.namespace=other"]) == ["c"])
        #expect(try await names("/api/v1/pods", ["fieldSelector": "spec.nodeName!=n1"]) == ["b"])
        #expect(try await names("/api/v1/namespaces/default/pods", ["fieldSelector": "metadata.name=b"]) == ["b"])
        #expect(try await names("/api/v1/namespaces", ["fieldSelector": "status.phase=Active"]).count == 5)

        let unknown = await h.error("GET", "/api/v1/pods", query: ["fieldSelector": "spec.bogus=1"])
        #expect(unknown?.code == 400)
        #expect(unknown?.message.contains("field label not supported: spec.bogus") == true)
        #expect(await h.error("GET", "/api/v1/pods", query: ["labelSelector": "app in (x"])?.code == 400)
        #expect(await h.error("GET", "/api/v1/pods", query: ["fieldSelector": "nonsense"])?.code == 400)
        }
    }

    @Test(arguments: [false, true]) func paginationOver25Objects(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        for i in 0..<25 {
            _ = try await h.object("POST", "/api/v1/namespaces/default/configmaps",
                                   body: #"{"metadata":{"name":"cm-\#(String(format: "%02d", i))"}}"#)
        }
        var collected: [String] = []
        var token: String?
        var listRevision: String?
        var pages = 0
        repeat {
            var query = ["limit": "10"]
            if let token { query["continue"] = token }
            let page = try await h.list("/api/v1/namespaces/default/configmaps", query: query)
            if listRevision == nil {
                listRevision = page.metadata.resourceVersion
                #expect(page.metadata.remainingItemCount == 15)
                // A change between pages does not show up in later pages.
                _ = try await h.object("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"cm-99"}}"#)
            }
            #expect(page.metadata.resourceVersion == listRevision)
            collected += page.items.compactMap(\.metadata.name)
            token = page.metadata.continue
            pages += 1
        } while token != nil && pages < 10
        #expect(pages == 3)
        #expect(collected == (0..<25).map { "cm-" + String(format: "%02d", $0) })

        // Selector + limit.
        let filtered = try await h.list("/api/v1/namespaces/default/configmaps",
                                        query: ["limit": "2", "fieldSelector": "metadata.name!=cm-00"])
        #expect(filtered.items.compactMap(\.metadata.name) == ["cm-01", "cm-02"])
        #expect(filtered.metadata.continue != nil)
        #expect(filtered.metadata.remainingItemCount == nil)

        #expect(await h.error("GET", "/api/v1/namespaces/default/configmaps", query: ["continue": "%%%"])?.code == 400)
        }
    }

    @Test(arguments: [false, true]) func compactedContinueTokenIsExpired(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        for i in 0..<3 { _ = try await h.createPod("p\(i)") }
        let page = try await h.list("/api/v1/namespaces/default/pods", query: ["limit": "1"])
        let token = try #require(page.metadata.continue)
        _ = try await h.createPod("later")
        try await h.store.compact(try await h.store.currentRevision())
        let error = await h.error("GET", "/api/v1/namespaces/default/pods", query: ["limit": "1", "continue": token])
        #expect(error?.code == 410)
        #expect(error?.message == ContinueToken.expiredMessage)
        }
    }

    @Test(arguments: [false, true]) func listAtExactRevision(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
        _ = try await h.createPod("one")
        let revision = try await h.store.currentRevision()
        _ = try await h.createPod("two")
        _ = try await h.call("DELETE", "/api/v1/namespaces/default/pods/one")
        let old = try await h.list("/api/v1/namespaces/default/pods", query: ["resourceVersion": String(revision)])
        #expect(old.items.compactMap(\.metadata.name) == ["one"])
        #expect(old.metadata.resourceVersion == String(revision))
        // resourceVersion=0 may be served stale by the cache: let it catch up first.
        _ = await h.registry.watchCache?.waitUntil(try await h.store.currentRevision(), timeout: .seconds(30))
        let latest = try await h.list("/api/v1/namespaces/default/pods", query: ["resourceVersion": "0"])
        #expect(latest.items.compactMap(\.metadata.name) == ["two"])
        #expect(latest.metadata.resourceVersion == String(try await h.store.currentRevision()))
        try await h.store.compact(try await h.store.currentRevision())
        #expect(await h.error("GET", "/api/v1/namespaces/default/pods", query: ["resourceVersion": String(revision)])?.code == 410)
        #expect(await h.error("GET", "/api/v1/namespaces/default/pods", query: ["resourceVersion": "abc"])?.code == 400)
        }
    }
}
