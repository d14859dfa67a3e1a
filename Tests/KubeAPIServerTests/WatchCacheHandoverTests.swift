import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

/// The watch cache holds what writers hand over (``WatchCache/offer(_:)``) and reads selectors
/// from stored JSON (``StoredFieldPaths``): both must give exactly what decoding gives.
@Suite struct WatchCacheHandoverTests {
    static let podPath = "/api/v1/namespaces/default/pods"

    /// The typed object the cache holds for `key` is the one decoding its stored bytes gives.
    static func expectHandedOverMatchesDecoded(_ h: RegistryHarness, key: String, resource: KubeResource,
                                               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let cache = try #require(h.registry.watchCache)
        _ = await cache.waitUntil(try await h.store.currentRevision(), timeout: .seconds(30))
        let cached = try #require(cache.object(forKey: key), sourceLocation: sourceLocation)
        let handedOver = try #require(cached.decodedObject, "the writer's object was not handed over",
                                      sourceLocation: sourceLocation)
        let decoded = try ResourceRegistry.decodeStored(cached.value, revision: cached.revision, as: resource)
        #expect(try ResourceRegistry.json(handedOver) == ResourceRegistry.json(decoded), sourceLocation: sourceLocation)
        #expect(type(of: handedOver) == type(of: decoded), sourceLocation: sourceLocation)
    }

    @Test func createUpdateAndStatusHandOverTheDecodedObject() async throws {
        try await RegistryHarness.run(cache: true) { h in
            let pods = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "pods"))
            let key = ResourceRegistry.key(pods, namespace: "default", name: "p")
            var pod = try await h.createPod("p", labels: ["app": "web"])
            try await Self.expectHandedOverMatchesDecoded(h, key: key, resource: pods)

            pod.metadata.annotations = ["note": "changed"]
            pod = try #require(try await h.object("PUT", "\(Self.podPath)/p", body: RegistryHarness.json(pod)) as? CoreV1.Pod)
            try await Self.expectHandedOverMatchesDecoded(h, key: key, resource: pods)

            _ = try await h.call("POST", "\(Self.podPath)/p/binding", body: #"""
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}
                """#)
            try await Self.expectHandedOverMatchesDecoded(h, key: key, resource: pods)

            pod = try #require(try await h.object("GET", "\(Self.podPath)/p") as? CoreV1.Pod)
            pod.status.phase = "Running"
            pod.status.podIP = "10.0.0.7"
            pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: .now(), status: "True", type: "Ready")]
            _ = try await h.object("PUT", "\(Self.podPath)/p/status", body: RegistryHarness.json(pod))
            try await Self.expectHandedOverMatchesDecoded(h, key: key, resource: pods)
        }
    }

    @Test func aWriteTheCacheSawFirstStillSharesItsObject() async throws {
        try await RegistryHarness.run(cache: true) { h in
            let cache = try #require(h.registry.watchCache)
            let key = "/registry/configmaps/default/c"
            let map = CoreV1.ConfigMap(apiVersion: "v1", data: ["a": "1"], kind: "ConfigMap",
                                       metadata: MetaV1.ObjectMeta(name: "c", namespace: "default"))
            let bytes = try ResourceRegistry.encodeForStorage(map)
            let result = try await h.store.create(key, bytes)
            _ = await cache.waitUntil(result.revision, timeout: .seconds(30))
            let configMaps = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "configmaps"))
            // The event came before the writer's offer: the cached copy adopts the object.
            _ = h.registry.written(key: key, bytes: bytes, revision: result.revision, object: map, resource: configMaps)
            let adopted = try #require(cache.object(forKey: key)?.decodedObject as? CoreV1.ConfigMap)
            #expect(adopted.data == ["a": "1"])
            #expect(adopted.metadata.resourceVersion == String(result.revision))
            // An offer for a revision the cache has moved past is dropped.
            _ = h.registry.written(key: key, bytes: bytes, revision: result.revision - 1, object: map, resource: configMaps)
            #expect(cache.object(forKey: key)?.revision == result.revision)
        }
    }

    @Test func anAnnouncedWriteIsDecodedWhenItsEventComes() async throws {
        try await RegistryHarness.run(cache: true) { h in
            let cache = try #require(h.registry.watchCache)
            let configMaps = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "configmaps"))
            let key = "/registry/configmaps/default/c"
            let map = CoreV1.ConfigMap(data: ["a": "1"], metadata: MetaV1.ObjectMeta(name: "c", namespace: "default"))
            let bytes = try ResourceRegistry.encodeForStorage(map)
            // Announced before the store write, with no offer after it: the event alone brings
            // the object, with its resourceVersion, apiVersion and kind.
            h.registry.expectWrite(key: key, bytes: bytes, object: map, resource: configMaps)
            let result = try await h.store.create(key, bytes)
            _ = await cache.waitUntil(result.revision, timeout: .seconds(30))
            let adopted = try #require(cache.object(forKey: key)?.decodedObject as? CoreV1.ConfigMap)
            #expect(adopted.data == ["a": "1"])
            #expect(adopted.metadata.resourceVersion == String(result.revision))
            #expect(adopted.apiVersion == "v1" && adopted.kind == "ConfigMap")
            try await Self.expectHandedOverMatchesDecoded(h, key: key, resource: configMaps)

            // An announced write whose bytes are not what the store then holds (it failed, and
            // another writer's came) is not taken.
            let other = CoreV1.ConfigMap(data: ["a": "2"], metadata: MetaV1.ObjectMeta(name: "c", namespace: "default"))
            h.registry.expectWrite(key: key, bytes: try ResourceRegistry.encodeForStorage(other), object: other, resource: configMaps)
            var third = map
            third.data = ["a": "3"]
            let written = try await h.store.update(key, try ResourceRegistry.encodeForStorage(third), expectedModRevision: result.revision)
            _ = await cache.waitUntil(written.revision, timeout: .seconds(30))
            #expect(cache.object(forKey: key)?.decodedObject == nil)
            let decoded = try #require(try cache.object(forKey: key)?.object(as: configMaps) as? CoreV1.ConfigMap)
            #expect(decoded.data == ["a": "3"])
        }
    }

    @Test func aPreviousVersionKeepsTheFieldsReadFromIt() throws {
        let pods = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "pods"))
        var pod = CoreV1.Pod(metadata: MetaV1.ObjectMeta(labels: ["app": "web"], name: "p", namespace: "default"))
        pod.spec.nodeName = "node-1"
        let cached = CachedObject(key: "/registry/pods/default/p", value: try ResourceRegistry.encodeForStorage(pod), revision: 5)
        let read = try #require(cached.attributes(as: pods, paths: SelectableAttributes.paths(for: pods)))
        #expect(read.fields["spec.nodeName"] == "node-1")
        // Reported at a later revision (the previous object of an event): with no paths to
        // read, only the kept attributes can still name the node and the labels.
        let previous = cached.reported(at: 9)
        #expect(previous.revision == 9)
        let kept = try #require(previous.attributes(as: pods, paths: StoredFieldPaths()))
        #expect(kept.fields == read.fields && kept.labels == ["app": "web"])
    }

    /// Selectors read from stored JSON agree with selectors on the decoded object.
    @Test(arguments: [
        ("spec.nodeName=node-1", "", true),
        ("spec.nodeName!=node-1", "", false),
        ("spec.nodeName=", "", false),
        ("status.phase=Running", "", true),
        ("status.podIP=10.0.0.7", "", true),
        ("spec.hostNetwork=false", "", true),
        ("spec.restartPolicy=Always", "app=web", true),
        ("", "app=web", true),
        ("", "app!=web", false),
        ("", "tier", false),
        ("metadata.name=p,metadata.namespace=default", "", true),
        ("metadata.namespace=kube-system", "", false),
        ("status.nominatedNodeName=", "", true),
    ])
    func storedSelectorsMatchDecoded(fieldSelector: String, labelSelector: String, expected: Bool) async throws {
        try await RegistryHarness.run(cache: true) { h in
            _ = try await h.createPod("p", labels: ["app": "web"])
            _ = try await h.call("POST", "\(Self.podPath)/p/binding", body: #"""
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}
                """#)
            var pod = try #require(try await h.object("GET", "\(Self.podPath)/p") as? CoreV1.Pod)
            #expect(pod.spec.nodeName == "node-1")
            pod.status.phase = "Running"
            pod.status.podIPs = [CoreV1.PodIP(ip: "10.0.0.7")]
            _ = try await h.object("PUT", "\(Self.podPath)/p/status", body: RegistryHarness.json(pod))
            let pods = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "pods"))
            let info = RequestInfo(method: "GET", path: Self.podPath, watch: false)
            let request = APIRequest(info: info, query: ["fieldSelector": [fieldSelector], "labelSelector": [labelSelector]],
                                     contentType: "", body: Data(), user: UserInfo(name: "test"))
            let filter = try ObjectFilter(request, resource: pods)
            let cache = try #require(h.registry.watchCache)
            _ = await cache.waitUntil(try await h.store.currentRevision(), timeout: .seconds(30))
            let cached = try #require(cache.object(forKey: ResourceRegistry.key(pods, namespace: "default", name: "p")))
            let fromBytes = CachedObject(key: cached.key, value: cached.value, revision: cached.revision)
            #expect(try filter.matches(cached: fromBytes, as: pods) == expected)
            // Again, from the attributes the cached object kept.
            #expect(try filter.matches(cached: fromBytes, as: pods) == expected)
            let decoded = try ResourceRegistry.decodeStored(cached.value, revision: cached.revision, as: pods)
            #expect(try filter.matches(object: decoded) == expected)
            let kept = try #require(fromBytes.attributes(as: pods, paths: SelectableAttributes.paths(for: pods)))
            let whole = SelectableAttributes(json: try ResourceRegistry.json(decoded), resource: pods)
            #expect(kept.labels == whole.labels && kept.fields == whole.fields)
            #expect(kept.fields.count == SelectableFields.supported(pods).count)
        }
    }

    @Test func storedPathsSkipEverythingElse() throws {
        let bytes = Array(#"{"a":{"b":[1,{"x":"}"}],"c":"d"},"e":"f\"g","metadata":{"labels":{"k":"v"},"name":"n"}}"#.utf8)
        let paths = StoredFieldPaths(["a.c", "metadata.labels", "e", "missing.path"])
        let tree = try #require(paths.tree(of: bytes))
        #expect(tree == .object([
            "a": .object(["c": .string("d")]),
            "e": .string("f\"g"),
            "metadata": .object(["labels": .object(["k": .string("v")])]),
        ]))
        // A path through a scalar finds nothing below it.
        #expect(StoredFieldPaths(["e.x"]).tree(of: bytes) == .object([:]))
        #expect(StoredFieldPaths(["a"]).tree(of: Array("[1]".utf8)) == nil)
    }
}
