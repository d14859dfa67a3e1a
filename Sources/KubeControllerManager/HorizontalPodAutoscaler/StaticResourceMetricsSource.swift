import KubeModel
import Synchronization

/// An in-memory ``ResourceMetricsSource`` (for tests, and for a manager without a metrics API):
/// answers the stored PodMetrics the selector matches (by the pod's labels), or a set error.
public final class StaticResourceMetricsSource: ResourceMetricsSource {
    private struct State {
        var metrics: [MetricsV1beta1.PodMetrics] = []
        var error: (any Error & Sendable)?
        var requests = 0
    }

    private let state: Mutex<State>

    public init(_ metrics: [MetricsV1beta1.PodMetrics] = [], error: (any Error & Sendable)? = nil) {
        state = Mutex(State(metrics: metrics, error: error))
    }

    public func set(_ metrics: [MetricsV1beta1.PodMetrics]) { state.withLock { $0.metrics = metrics } }
    public func fail(with error: (any Error & Sendable)?) { state.withLock { $0.error = error } }
    /// How many times the metrics were asked for.
    public var requests: Int { state.withLock { $0.requests } }

    public func podMetrics(namespace: String, selector: Labels.Selector) async throws -> [MetricsV1beta1.PodMetrics] {
        let (metrics, error) = state.withLock { state in
            state.requests += 1
            return (state.metrics, state.error)
        }
        if let error { throw error }
        return metrics.filter {
            ($0.metadata.namespace ?? "") == namespace && selector.matches($0.metadata.labels ?? [:])
        }
    }
}
