import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

/// Drives a `ResourceRegistry` over an `InMemoryStore` with APIRequest values, as the HTTP layer will.
struct RegistryHarness {
    let store: InMemoryStore
    let registry: ResourceRegistry

    /// `strategies: ResourceStrategies()` leaves out per-kind defaults and validation (tests of
    /// the generic machinery that use objects upstream would refuse, such as pods whose spec changes).
    init(bookmarkInterval: Duration = .seconds(10), strategies: ResourceStrategies = .builtIn,
         cache: Bool = false) async throws {
        store = InMemoryStore()
        var registry = ResourceRegistry(store: store)
        registry.bookmarkInterval = bookmarkInterval
        registry.strategies = strategies
        if cache { registry.watchCache = WatchCache(store: store) }
        self.registry = registry
        try await registry.ensureDefaultNamespaces()
    }

    /// A harness over an already configured registry.
    init(store: InMemoryStore, registry: ResourceRegistry) {
        self.store = store
        self.registry = registry
    }

    /// Runs `body` with a harness; with `cache`, lists and watches are served by a running
    /// ``WatchCache`` (the same tests then cover both paths).
    static func run<T>(cache: Bool, bookmarkInterval: Duration = .seconds(10),
                       _ body: (RegistryHarness) async throws -> T) async throws -> T {
        let harness = try await RegistryHarness(bookmarkInterval: bookmarkInterval, cache: cache)
        guard let watchCache = harness.registry.watchCache else { return try await body(harness) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watchCache.follow() }
            _ = await watchCache.waitUntil(1, timeout: .seconds(30))
            let result = try await body(harness)
            group.cancelAll()
            return result
        }
    }

    func call(_ method: String, _ path: String, query: [String: String] = [:], body: String = "",
              contentType: String = "application/json",
              connectionClosed: ConnectionClosedSignal? = nil) async throws(APIError) -> APIResult {
        let info = RequestInfo(method: method, path: path, watch: query["watch"] == "true")
        guard let resource = KubeResourceCatalog.builtIn.resource(
            group: info.apiGroup, version: info.apiVersion, resource: info.resource)
        else { throw .pathNotFound(path) }
        var request = APIRequest(info: info, query: query.mapValues { [$0] }, contentType: contentType,
                                 body: Data(body.utf8), user: UserInfo(name: "test"))
        request.connectionClosed = connectionClosed
        return try await registry.handle(request, resource: resource)
    }

    /// Calls and expects one object back.
    func object(_ method: String, _ path: String, query: [String: String] = [:], body: String = "",
                contentType: String = "application/json", code: Int? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> any KubeObject {
        let result = try await call(method, path, query: query, body: body, contentType: contentType)
        guard case .object(let object, let actual) = result.withoutWarnings else {
            Issue.record("expected an object, got \(result)", sourceLocation: sourceLocation)
            throw APIError.internalError("not an object")
        }
        if let code { #expect(actual == code, sourceLocation: sourceLocation) }
        return object
    }

    /// Calls and expects a list back.
    func list(_ path: String, query: [String: String] = [:]) async throws -> ObjectList {
        guard case .list(let list) = try await call("GET", path, query: query) else {
            throw APIError.internalError("not a list")
        }
        return list
    }

    /// Calls and expects an APIError.
    func error(_ method: String, _ path: String, query: [String: String] = [:], body: String = "",
               contentType: String = "application/json") async -> APIError? {
        do {
            _ = try await call(method, path, query: query, body: body, contentType: contentType)
            return nil
        } catch {
            return error
        }
    }

    func createPod(_ name: String, namespace: String = "default", labels: [String: String] = [:],
                   nodeName: String? = nil) async throws -> CoreV1.Pod {
        var pod = CoreV1.Pod(apiVersion: "v1", kind: "Pod", metadata: MetaV1.ObjectMeta(labels: labels, name: name))
        pod.spec.containers = [CoreV1.Container(image: "nginx", name: "c")]
        pod.spec.nodeName = nodeName
        let body = String(decoding: try JSONEncoder().encode(pod), as: UTF8.self)
        return try #require(try await object("POST", "/api/v1/namespaces/\(namespace)/pods", body: body, code: 201) as? CoreV1.Pod)
    }

    static func json(_ object: some Encodable) -> String {
        // Encoding the generated model types cannot fail.
        String(decoding: (try? JSONEncoder().encode(object)) ?? Data(), as: UTF8.self)
    }
}
