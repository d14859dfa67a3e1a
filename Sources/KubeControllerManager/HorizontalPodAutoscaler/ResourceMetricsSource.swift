import KubeModel

/// Where the HorizontalPodAutoscaler reads pod usage from: the resource metrics API
/// (`metrics.k8s.io/v1beta1` PodMetrics), as upstream's `resourceMetricsClient` does.
public protocol ResourceMetricsSource: Sendable {
    /// The PodMetrics of the pods `selector` matches in `namespace`.
    func podMetrics(namespace: String, selector: Labels.Selector) async throws -> [MetricsV1beta1.PodMetrics]
}
