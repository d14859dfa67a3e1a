import KubeClient
import KubeModel

/// ``ResourceMetricsSource`` over the API server: `GET /apis/metrics.k8s.io/v1beta1/namespaces/NS/pods?labelSelector=…`.
public struct RESTResourceMetricsSource: ResourceMetricsSource {
    public let client: RESTClient

    public init(client: RESTClient) {
        self.client = client
    }

    public func podMetrics(namespace: String, selector: Labels.Selector) async throws -> [MetricsV1beta1.PodMetrics] {
        var query: [(String, String)] = []
        let selectorText = selector.description
        if !selectorText.isEmpty { query.append(("labelSelector", selectorText)) }
        let request = RESTRequest(method: "GET", path: "/apis/metrics.k8s.io/v1beta1/namespaces/\(namespace)/pods", query: query)
        return try await client.send(request, as: MetricsV1beta1.PodMetricsList.self).items
    }
}
