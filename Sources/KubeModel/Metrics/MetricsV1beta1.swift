/// `metrics.k8s.io/v1beta1`: the resource metrics API (k8s.io/metrics), served by Skiff from kubelet
/// stats and read by the HorizontalPodAutoscaler and `kubectl top`. Not in the OpenAPI schema the
/// model is generated from, so written by hand with the same wire shape.
public enum MetricsV1beta1 {
    /// Usage of one container (`name`, `usage`: `cpu`, `memory`).
    public struct ContainerMetrics: KubeType {
        public var name: String
        public var usage: [String: Quantity]

        public init(name: String, usage: [String: Quantity]) {
            self.name = name
            self.usage = usage
        }
    }

    /// Usage of one node over `window` ending at `timestamp` (`window` is a Go duration, e.g. `20s`).
    public struct NodeMetrics: KubeObject {
        public static let groupVersionKind = GroupVersionKind(group: "metrics.k8s.io", version: "v1beta1", kind: "NodeMetrics")
        public var apiVersion: String?
        public var kind: String?
        public var metadata: MetaV1.ObjectMeta
        public var timestamp: MetaV1.Time
        public var window: String
        public var usage: [String: Quantity]

        public init(metadata: MetaV1.ObjectMeta, timestamp: MetaV1.Time, window: String, usage: [String: Quantity]) {
            self.metadata = metadata
            self.timestamp = timestamp
            self.window = window
            self.usage = usage
        }
    }

    /// Usage of one pod's containers over `window` ending at `timestamp`.
    public struct PodMetrics: KubeObject {
        public static let groupVersionKind = GroupVersionKind(group: "metrics.k8s.io", version: "v1beta1", kind: "PodMetrics")
        public var apiVersion: String?
        public var kind: String?
        public var metadata: MetaV1.ObjectMeta
        public var timestamp: MetaV1.Time
        public var window: String
        public var containers: [ContainerMetrics]

        public init(metadata: MetaV1.ObjectMeta, timestamp: MetaV1.Time, window: String, containers: [ContainerMetrics]) {
            self.metadata = metadata
            self.timestamp = timestamp
            self.window = window
            self.containers = containers
        }
    }

    public struct NodeMetricsList: KubeList {
        public static let groupVersionKind = GroupVersionKind(group: "metrics.k8s.io", version: "v1beta1", kind: "NodeMetricsList")
        public var apiVersion: String?
        public var kind: String?
        public var metadata: MetaV1.ListMeta
        public var items: [NodeMetrics]

        public init(metadata: MetaV1.ListMeta = MetaV1.ListMeta(), items: [NodeMetrics]) {
            self.metadata = metadata
            self.items = items
        }
    }

    public struct PodMetricsList: KubeList {
        public static let groupVersionKind = GroupVersionKind(group: "metrics.k8s.io", version: "v1beta1", kind: "PodMetricsList")
        public var apiVersion: String?
        public var kind: String?
        public var metadata: MetaV1.ListMeta
        public var items: [PodMetrics]

        public init(metadata: MetaV1.ListMeta = MetaV1.ListMeta(), items: [PodMetrics]) {
            self.metadata = metadata
            self.items = items
        }
    }
}
