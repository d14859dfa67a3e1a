import KubeAPIServer
import KubeModel

/// The `metrics.k8s.io` group as metrics-server registers it: version `v1beta1` with the
/// read-only resources `nodes` (NodeMetrics) and `pods` (PodMetrics).
public enum MetricsAPI {
    public static let groupName = "metrics.k8s.io"
    public static let version = "v1beta1"

    /// Discovery lists it after the built-in groups (an APIService of priority 100).
    public static let group = KubeAPIGroup(name: groupName, versions: [version], priority: 100)

    public static let nodes = KubeResource(
        group: groupName, version: version, resource: "nodes", singularName: "", kind: "NodeMetrics",
        namespaced: false, verbs: [KubeVerb.get, KubeVerb.list], shortNames: [], categories: [], subresources: [],
        type: MetricsV1beta1.NodeMetrics.self, listType: MetricsV1beta1.NodeMetricsList.self)

    public static let pods = KubeResource(
        group: groupName, version: version, resource: "pods", singularName: "", kind: "PodMetrics",
        namespaced: true, verbs: [KubeVerb.get, KubeVerb.list], shortNames: [], categories: [], subresources: [],
        type: MetricsV1beta1.PodMetrics.self, listType: MetricsV1beta1.PodMetricsList.self)

    public static let resources = [nodes, pods]

    /// The group served by `handler`, to hand to ``DelegatingRequestHandler``.
    public static func delegate(_ handler: MetricsAPIHandler) -> DelegatingRequestHandler.Delegate {
        DelegatingRequestHandler.Delegate(group: group, resources: resources, handler: handler)
    }
}
