import Foundation
import KubeClient
import KubeModel
import Testing

/// KubeClient's REST client against a real `skiff server`, connected with the kubeconfig the
/// server writes (HTTPS, HTTP/2, the admin client certificate).
@Suite(.serialized, .e2eSlot)
struct RESTClientE2ETests {
    /// Runs `body` with a client whose connection runs beside it.
    @discardableResult
    static func withClient<R: Sendable>(
        _ server: SkiffServerProcess, configure: (inout RESTConfig) -> Void = { _ in },
        _ body: (RESTClient) async throws -> R
    ) async throws -> R {
        var config = try KubeConfig.load(server.kubeconfig).restConfig()
        config.qps = 1000
        config.burst = 1000
        configure(&config)
        let client = try RESTClient(config: config)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            let result: Result<R, any Error>
            do {
                result = .success(try await body(client))
            } catch {
                result = .failure(error)
            }
            client.close()
            try await group.waitForAll()
            return try result.get()
        }
    }

    static func configMap(_ name: String, data: [String: String]) -> CoreV1.ConfigMap {
        var map = CoreV1.ConfigMap()
        map.metadata.name = name
        map.data = data
        return map
    }

    @Test(.timeLimit(.minutes(3)))
    func crudThroughTheTypedClient() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        try await Self.withClient(server) { client in
            let maps = client.resource(CoreV1.ConfigMap.self, namespace: "default")
            let created = try await maps.create(Self.configMap("one", data: ["k": "1"]))
            #expect(created.metadata.uid != nil && created.metadata.resourceVersion != nil)
            #expect(try await maps.get("one").data == ["k": "1"])

            var changed = created
            changed.data = ["k": "2"]
            let updated = try await maps.update(changed)
            #expect(updated.data == ["k": "2"])

            // A stale resourceVersion is a 409 Conflict.
            var stale = created
            stale.data = ["k": "3"]
            let conflict = await #expect(throws: StatusError.self) { try await maps.update(stale) }
            #expect(conflict?.isConflict == true && conflict?.code == 409)

            let patched = try await maps.patch("one", body: Array(#"{"data":{"extra":"x"}}"#.utf8))
            #expect(patched.data == ["k": "2", "extra": "x"])

            let duplicate = await #expect(throws: StatusError.self) { try await maps.create(Self.configMap("one", data: [:])) }
            #expect(duplicate?.isAlreadyExists == true)

            for index in 0..<5 { _ = try await maps.create(Self.configMap("page-\(index)", data: [:])) }
            let firstPage = try await maps.list(ListOptions(limit: 2))
            #expect(firstPage.items.count == 2 && firstPage.metadata.continue != nil)
            let all = try await maps.list()
            #expect(all.items.compactMap(\.metadata.name).filter { $0 != "kube-root-ca.crt" }.sorted()
                == ["one", "page-0", "page-1", "page-2", "page-3", "page-4"])

            try await maps.delete("one")
            let missing = await #expect(throws: StatusError.self) { try await maps.get("one") }
            #expect(missing?.isNotFound == true && missing?.message == #"configmaps "one" not found"#)

            // Cluster-scoped resources ignore the namespace.
            let namespaces = client.resource(CoreV1.Namespace.self, namespace: "ignored")
            #expect(try await namespaces.get("default").metadata.name == "default")
            let invalid = await #expect(throws: StatusError.self) {
                try await maps.create(Self.configMap("Not_Valid", data: [:]))
            }
            #expect(invalid?.isInvalid == true && invalid?.code == 422)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func watchesDeliverEveryChangeInOrder() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        try await Self.withClient(server) { client in
            let maps = client.resource(CoreV1.ConfigMap.self, namespace: "default")
            let start = try await maps.list().metadata.resourceVersion
            _ = try await maps.create(Self.configMap("w", data: ["v": "1"]))
            _ = try await maps.patch("w", body: Array(#"{"data":{"v":"2"}}"#.utf8))
            try await maps.delete("w")

            let seen: [String] = try await maps.watch(ListOptions(resourceVersion: start, timeoutSeconds: 30)) { events in
                var seen: [String] = []
                for try await event in events {
                    switch event {
                    case .added(let map): seen.append("ADDED \(map.data?["v"] ?? "")")
                    case .modified(let map): seen.append("MODIFIED \(map.data?["v"] ?? "")")
                    case .deleted(let map): seen.append("DELETED \(map.metadata.name ?? "")")
                    case .bookmark: continue
                    case .error(let status): throw status
                    }
                    if seen.count == 3 { break }
                }
                return seen
            }
            #expect(seen == ["ADDED 1", "MODIFIED 2", "DELETED w"])

            // Several watches share the one connection, each on its own stream.
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await maps.watch(ListOptions(resourceVersion: start, timeoutSeconds: 30)) { events in
                            var count = 0
                            for try await event in events {
                                if case .bookmark = event { continue }
                                count += 1
                                if count == 3 { break }
                            }
                            return count
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts == [3, 3, 3, 3])
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func bearerTokensAndBadCredentials() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        // No client certificate and a made-up token: 401, not retried.
        try await Self.withClient(server, configure: { config in
            config.clientCertificatePEM = nil
            config.clientKeyPEM = nil
            config.bearerToken = "not-a-token"
        }) { client in
            let refused = await #expect(throws: StatusError.self) {
                try await client.resource(CoreV1.Namespace.self).get("default")
            }
            #expect(refused?.code == 401)
        }
        // A server that is not listening: the client retries, then gives up.
        try await Self.withClient(server, configure: { config in
            config.port = (try? SkiffServerProcess.freePort()) ?? 1
            config.maxRetries = 1
        }) { client in
            await #expect(throws: (any Error).self) { try await client.resource(CoreV1.Namespace.self).get("default") }
        }
    }

    /// A shared informer on the real server: synced cache, listers, handler calls in order.
    @Test(.timeLimit(.minutes(3)))
    func sharedInformerFollowsTheServer() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        try await Self.withClient(server) { client in
            let maps = client.resource(CoreV1.ConfigMap.self, namespace: "default")
            _ = try await maps.create(Self.configMap("before", data: ["v": "0"]))
            let factory = InformerFactory(client: client)
            let informer = factory.informer(CoreV1.ConfigMap.self)
            #expect(factory.informer(CoreV1.ConfigMap.self) === informer)
            let (calls, continuation) = AsyncStream<String>.makeStream()
            informer.addEventHandler(EventHandler(
                onAdd: { continuation.yield("add \($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")") },
                onUpdate: { _, new in continuation.yield("update \(new.metadata.name ?? "") \(new.data?["v"] ?? "")") },
                onDelete: { continuation.yield("delete \($0.metadata.name ?? "")") }))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await factory.run() }
                await factory.waitForCacheSync()
                #expect(informer.lister.get(namespace: "default", name: "before")?.data == ["v": "0"])
                var iterator = calls.makeAsyncIterator()
                var initial: [String] = []
                while initial.count < informer.indexer.count, let call = await iterator.next() { initial.append(call) }
                #expect(initial.contains("add default/before"))

                _ = try await maps.create(Self.configMap("live", data: ["v": "1"]))
                _ = try await maps.patch("live", body: Array(#"{"data":{"v":"2"}}"#.utf8))
                try await maps.delete("live")
                var live: [String] = []
                while live.count < 3, let call = await iterator.next() { live.append(call) }
                #expect(live == ["add default/live", "update live 2", "delete live"])
                #expect(informer.lister.get(namespace: "default", name: "live") == nil)
                #expect(!informer.lastSyncResourceVersion.isEmpty)
                group.cancelAll()
            }
        }
    }
}
