import Foundation
import KubeAPIServer
import KubeClient
import KubeModel

/// Serves `metrics.k8s.io/v1beta1` from a ``MetricsStore`` and the node and pod listers, as
/// metrics-server's REST storage does: get and list (label selector, `metadata.name` /
/// `metadata.namespace` field selectors), nodes ordered by name, pods by namespace and name,
/// pods that are not Running left out, and NotFound for an object without metrics
/// (`nodemetrics.metrics.k8s.io "n" not found`, `podmetrics.metrics.k8s.io "ns/p" not found`).
public struct MetricsAPIHandler: ResourceRequestHandler {
    public let nodes: Lister<CoreV1.Node>
    public let pods: Lister<CoreV1.Pod>
    public let store: MetricsStore
    /// The `creationTimestamp` of the metrics objects (metrics-server stamps them when asked).
    public var now: @Sendable () -> Date = { Date() }

    public init(nodes: Lister<CoreV1.Node>, pods: Lister<CoreV1.Pod>, store: MetricsStore) {
        self.nodes = nodes
        self.pods = pods
        self.store = store
    }

    public var catalog: KubeResourceCatalog {
        KubeResourceCatalog(resources: MetricsAPI.resources, groups: [MetricsAPI.group])
    }

    public func handle(_ request: APIRequest, resource: KubeResource) async throws(APIError) -> APIResult {
        let info = request.info
        switch (resource.resource, info.verb) {
        case ("nodes", "get"):
            guard let node = nodes.get(name: info.name) else {
                throw .notFound(resource: .init(group: "", resource: "node"), name: info.name)
            }
            guard let metrics = nodeMetrics(node) else {
                throw .notFound(resource: .init(group: MetricsAPI.groupName, resource: "nodemetrics"), name: info.name)
            }
            return .object(metrics, code: 200)
        case ("nodes", "list"):
            let (labels, fields) = try selectors(request)
            let items = nodes.list(labels)
                .filter { fields.matches(["metadata.name": $0.metadata.name ?? ""]) }
                .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
                .compactMap(nodeMetrics)
            return .list(ObjectList(resource: resource, items: items, metadata: MetaV1.ListMeta()))
        case ("pods", "get"):
            guard let pod = pods.get(namespace: info.namespace, name: info.name) else {
                throw .notFound(resource: .init(group: "", resource: "pods"), name: info.name)
            }
            guard let metrics = podMetrics(pod) else {
                throw .notFound(resource: .init(group: MetricsAPI.groupName, resource: "podmetrics"),
                                name: "\(info.namespace)/\(info.name)")
            }
            return .object(metrics, code: 200)
        case ("pods", "list"):
            let (labels, fields) = try selectors(request)
            let candidates = info.namespace.isEmpty ? pods.list(labels) : pods.list(namespace: info.namespace, labels)
            let items = candidates
                .filter {
                    fields.matches(["metadata.name": $0.metadata.name ?? "", "metadata.namespace": $0.metadata.namespace ?? ""])
                }
                .sorted { Self.reference($0) < Self.reference($1) }
                .compactMap(podMetrics)
            return .list(ObjectList(resource: resource, items: items, metadata: MetaV1.ListMeta()))
        default:
            throw .methodNotAllowed
        }
    }

    func selectors(_ request: APIRequest) throws(APIError) -> (Labels.Selector, Fields.Selector) {
        var labels = Labels.Selector.everything
        var fields = Fields.Selector.everything
        if let text = request.parameter("labelSelector"), !text.isEmpty {
            do { labels = try Labels.Selector(parsing: text) } catch { throw .badRequest("unable to parse requirement: \(error)") }
        }
        if let text = request.parameter("fieldSelector"), !text.isEmpty {
            do { fields = try Fields.Selector(parsing: text) } catch { throw .badRequest("invalid field selector: \(error)") }
        }
        return (labels, fields)
    }

    static func reference(_ pod: CoreV1.Pod) -> PodReference {
        PodReference(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "")
    }

    /// The node's usage with its labels; nil without two samples.
    func nodeMetrics(_ node: CoreV1.Node) -> MetricsV1beta1.NodeMetrics? {
        guard let name = node.metadata.name, let usage = store.nodeUsage(name) else { return nil }
        var metadata = MetaV1.ObjectMeta()
        metadata.name = name
        metadata.labels = node.metadata.labels
        metadata.creationTimestamp = MetaV1.Time(now())
        return MetricsV1beta1.NodeMetrics(
            metadata: metadata, timestamp: Self.time(usage.timestamp),
            window: GoDuration.string(nanoseconds: usage.window), usage: usage.resourceList)
    }

    /// The usage of a Running pod's containers (by container name) with its labels; nil for
    /// other pods and without two samples of every container.
    func podMetrics(_ pod: CoreV1.Pod) -> MetricsV1beta1.PodMetrics? {
        guard pod.status.phase == "Running", let usage = store.podUsage(Self.reference(pod)) else { return nil }
        var metadata = MetaV1.ObjectMeta()
        metadata.name = pod.metadata.name
        metadata.namespace = pod.metadata.namespace
        metadata.labels = pod.metadata.labels
        metadata.creationTimestamp = MetaV1.Time(now())
        let specOrder = pod.spec.containers.map(\.name)
        let names = specOrder.filter { usage.containers[$0] != nil }
            + usage.containers.keys.filter { !specOrder.contains($0) }.sorted()
        let containers = names.map { name in
            MetricsV1beta1.ContainerMetrics(name: name, usage: usage.containers[name]!.resourceList)
        }
        return MetricsV1beta1.PodMetrics(
            metadata: metadata, timestamp: Self.time(usage.timestamp),
            window: GoDuration.string(nanoseconds: usage.window), containers: containers)
    }

    static func time(_ nanoseconds: Int64) -> MetaV1.Time {
        MetaV1.Time(secondsSinceEpoch: nanoseconds / 1_000_000_000)
    }
}
