import Foundation
import KubeAPIServer
import KubeClient
import KubeModel
import Testing
@testable import KubeMetricsServer

struct MetricsAPIHandlerTests {
    static let second: Int64 = 1_000_000_000

    /// Nodes n0 (metrics) and n1 (none); pods ns/a (Running, metrics), ns/b (Pending, metrics),
    /// other/c (Running, metrics), ns/d (Running, no metrics).
    static func handler() -> MetricsAPIHandler {
        let nodes = Indexer<CoreV1.Node>()
        for (name, zone) in [("n0", "a"), ("n1", "b")] {
            var node = CoreV1.Node()
            node.metadata.name = name
            node.metadata.labels = ["zone": zone]
            nodes.upsert(node)
        }
        let pods = Indexer<CoreV1.Pod>()
        for (namespace, name, phase, app) in [("ns", "a", "Running", "web"), ("ns", "b", "Pending", "web"),
                                              ("other", "c", "Running", "web"), ("ns", "d", "Running", "db")] {
            var pod = CoreV1.Pod()
            pod.metadata.namespace = namespace
            pod.metadata.name = name
            pod.metadata.labels = ["app": app]
            pod.spec.containers = [CoreV1.Container(name: "main")]
            pod.status.phase = phase
            pods.upsert(pod)
        }
        let store = MetricsStore(resolution: .seconds(15))
        for (t, cpu) in [(Int64(100), UInt64(0)), (115, 150_000_000)] {
            var batch = MetricsBatch(nodes: ["n0": MetricsPoint(timestamp: t * second, cumulativeCPUUsed: cpu * 10 + 1, memoryUsage: 1 << 30)])
            for (namespace, name) in [("ns", "a"), ("ns", "b"), ("other", "c")] {
                batch.pods[PodReference(namespace: namespace, name: name)] = [
                    "main": MetricsPoint(timestamp: t * second, cumulativeCPUUsed: cpu + 1, memoryUsage: 16 << 20),
                ]
            }
            store.store(batch)
        }
        return MetricsAPIHandler(nodes: Lister(nodes), pods: Lister(pods), store: store)
    }

    static func request(_ path: String, _ query: [String: [String]] = [:]) -> APIRequest {
        APIRequest(info: RequestInfo(method: "GET", path: path), query: query, user: UserInfo(name: "admin"))
    }

    static func names(_ result: APIResult) -> [String] {
        guard case .list(let list) = result else { return [] }
        return list.items.map { [$0.metadata.namespace, $0.metadata.name].compactMap { $0 }.joined(separator: "/") }
    }

    @Test(arguments: [
        ("/apis/metrics.k8s.io/v1beta1/nodes", [String: [String]](), ["n0"]),
        ("/apis/metrics.k8s.io/v1beta1/nodes", ["labelSelector": ["zone=b"]], []),
        ("/apis/metrics.k8s.io/v1beta1/nodes", ["fieldSelector": ["metadata.name=n0"]], ["n0"]),
        ("/apis/metrics.k8s.io/v1beta1/pods", [:], ["ns/a", "other/c"]),
        ("/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods", [:], ["ns/a"]),
        ("/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods", ["labelSelector": ["app=db"]], []),
        ("/apis/metrics.k8s.io/v1beta1/pods", ["labelSelector": ["app=web"], "fieldSelector": ["metadata.namespace=other"]], ["other/c"]),
    ])
    func lists(_ path: String, _ query: [String: [String]], _ expected: [String]) async throws {
        let request = Self.request(path, query)
        let resource = request.info.resource == "nodes" ? MetricsAPI.nodes : MetricsAPI.pods
        #expect(Self.names(try await Self.handler().handle(request, resource: resource)) == expected)
    }

    @Test func getsNodeMetrics() async throws {
        let result = try await Self.handler().handle(Self.request("/apis/metrics.k8s.io/v1beta1/nodes/n0"), resource: MetricsAPI.nodes)
        guard case .object(let object, 200) = result, let metrics = object as? MetricsV1beta1.NodeMetrics else {
            Issue.record("not a NodeMetrics: \(result)")
            return
        }
        #expect(metrics.metadata.name == "n0" && metrics.metadata.labels == ["zone": "a"])
        #expect(metrics.window == "15s" && metrics.timestamp == MetaV1.Time(secondsSinceEpoch: 115))
        #expect(metrics.usage["cpu"]?.description == "100m" && metrics.usage["memory"]?.description == "1Gi")
    }

    @Test func getsPodMetrics() async throws {
        let result = try await Self.handler().handle(
            Self.request("/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/a"), resource: MetricsAPI.pods)
        guard case .object(let object, 200) = result, let metrics = object as? MetricsV1beta1.PodMetrics else {
            Issue.record("not a PodMetrics: \(result)")
            return
        }
        #expect(metrics.metadata.namespace == "ns" && metrics.metadata.labels == ["app": "web"])
        #expect(metrics.containers == [MetricsV1beta1.ContainerMetrics(
            name: "main", usage: ["cpu": Quantity.mustParse("10m"), "memory": Quantity.mustParse("16Mi")])])
    }

    @Test(arguments: [
        ("/apis/metrics.k8s.io/v1beta1/nodes/n1", #"nodemetrics.metrics.k8s.io "n1" not found"#),
        ("/apis/metrics.k8s.io/v1beta1/nodes/gone", #"node "gone" not found"#),
        ("/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/d", #"podmetrics.metrics.k8s.io "ns/d" not found"#),
        ("/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/b", #"podmetrics.metrics.k8s.io "ns/b" not found"#),
        ("/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/gone", #"pods "gone" not found"#),
    ])
    func notFound(_ path: String, _ message: String) async {
        let request = Self.request(path)
        let resource = request.info.resource == "nodes" ? MetricsAPI.nodes : MetricsAPI.pods
        do {
            _ = try await Self.handler().handle(request, resource: resource)
            Issue.record("expected NotFound for \(path)")
        } catch {
            #expect(error.status.message == message)
            #expect(error.status.code == 404)
        }
    }

    @Test func aBadLabelSelectorIsABadRequest() async {
        let request = Self.request("/apis/metrics.k8s.io/v1beta1/pods", ["labelSelector": ["a=(b"]])
        await #expect(throws: APIError.self) { try await Self.handler().handle(request, resource: MetricsAPI.pods) }
    }

    @Test func discoveryListsTheMetricsGroupAfterTheBuiltInOnes() throws {
        struct Base: ResourceRequestHandler {
            func handle(_ request: APIRequest, resource: KubeResource) async throws(APIError) -> APIResult { throw .methodNotAllowed }
        }
        let handler = DelegatingRequestHandler(base: Base(), delegates: [MetricsAPI.delegate(Self.handler())])
        #expect(handler.catalog.groups.last?.name == "metrics.k8s.io")
        let documents = DiscoveryDocuments(catalog: handler.catalog)
        let list = String(decoding: try #require(documents.resourceList(group: "metrics.k8s.io", version: "v1beta1")), as: UTF8.self)
        #expect(list.contains(#""kind":"NodeMetrics""#) && list.contains(#""name":"pods""#))
        let groups = String(decoding: documents.apiGroupList, as: UTF8.self)
        #expect(groups.contains(#""name":"metrics.k8s.io""#))
    }

    @Test func tablesHaveMetricsServersColumns() async throws {
        let result = try await Self.handler().handle(Self.request("/apis/metrics.k8s.io/v1beta1/pods"), resource: MetricsAPI.pods)
        guard case .list(let list) = result else { throw TableError() }
        let convertor = TableConvertors.builtIn.convertor(for: MetricsAPI.pods)
        #expect(convertor.columns.map(\.name) == ["Name", "cpu", "memory", "Window"])
        #expect(convertor.cells(for: list.items[0], now: Date()) == [.string("a"), .string("10m"), .string("16Mi"), .string("15s")])
    }

    struct TableError: Error {}
}
