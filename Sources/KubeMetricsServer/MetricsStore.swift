import Synchronization

/// The last two scrapes of every node and container, from which usage is computed
/// (metrics-server's storage): each ``store(_:)`` replaces the whole state with the new batch,
/// keeping as the previous point the one stored before when the new point is newer (and, for
/// containers, when the container did not restart in between). Usage needs both points.
public final class MetricsStore: Sendable {
    /// A container younger than this is not given a synthetic previous point (at its start).
    public static let freshContainerMinimumResolution: Int64 = 10_000_000_000

    struct State: Sendable {
        var lastNodes: [String: MetricsPoint] = [:]
        var prevNodes: [String: MetricsPoint] = [:]
        var lastPods: [PodReference: [String: MetricsPoint]] = [:]
        var prevPods: [PodReference: [String: MetricsPoint]] = [:]
    }

    /// The scrape interval, in nanoseconds.
    public let resolution: Int64
    private let state = Mutex(State())

    public init(resolution: Duration) {
        let parts = resolution.components
        self.resolution = parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }

    /// Stores one scrape round of every node.
    public func store(_ batch: MetricsBatch) {
        let resolution = self.resolution
        state.withLock { state in
            var lastNodes: [String: MetricsPoint] = [:]
            var prevNodes: [String: MetricsPoint] = [:]
            for (node, point) in batch.nodes {
                lastNodes[node] = point
                guard let last = state.lastNodes[node] else { continue }
                if point.timestamp > last.timestamp {
                    prevNodes[node] = last
                } else if let prev = state.prevNodes[node], prev.timestamp < point.timestamp {
                    prevNodes[node] = prev
                }
            }
            var lastPods: [PodReference: [String: MetricsPoint]] = [:]
            var prevPods: [PodReference: [String: MetricsPoint]] = [:]
            for (pod, containers) in batch.pods {
                var prevContainers: [String: MetricsPoint] = [:]
                for (name, point) in containers {
                    let age = point.timestamp - point.startTime
                    if point.startTime < point.timestamp && age < resolution && age >= Self.freshContainerMinimumResolution {
                        // A container started within the last interval: its start is a point at zero CPU.
                        var start = point
                        start.timestamp = point.startTime
                        start.cumulativeCPUUsed = 0
                        prevContainers[name] = start
                    } else if let last = state.lastPods[pod]?[name], point.startTime < last.timestamp {
                        if point.timestamp > last.timestamp {
                            prevContainers[name] = last
                        } else if let prev = state.prevPods[pod]?[name], prev.timestamp < point.timestamp {
                            prevContainers[name] = prev
                        }
                    }
                }
                if !prevContainers.isEmpty { prevPods[pod] = prevContainers }
                lastPods[pod] = containers
            }
            state = State(lastNodes: lastNodes, prevNodes: prevNodes, lastPods: lastPods, prevPods: prevPods)
        }
    }

    /// The usage of `node`; nil without two points.
    public func nodeUsage(_ node: String) -> ResourceUsage? {
        state.withLock { state in
            guard let last = state.lastNodes[node], let prev = state.prevNodes[node],
                  case .success(let usage) = ResourceUsage.between(last: last, prev: prev) else { return nil }
            return usage
        }
    }

    /// The usage of each container of `pod` and the earliest of their timestamps (with its
    /// window); nil unless every container has two points.
    public func podUsage(_ pod: PodReference) -> (containers: [String: ResourceUsage], timestamp: Int64, window: Int64)? {
        state.withLock { state in
            guard let last = state.lastPods[pod], let prev = state.prevPods[pod] else { return nil }
            var containers: [String: ResourceUsage] = [:]
            var earliest: ResourceUsage?
            for (name, lastPoint) in last {
                guard let prevPoint = prev[name] else { return nil }
                guard case .success(let usage) = ResourceUsage.between(last: lastPoint, prev: prevPoint) else { continue }
                containers[name] = usage
                if earliest == nil || usage.timestamp < earliest!.timestamp { earliest = usage }
            }
            return (containers, earliest?.timestamp ?? 0, earliest?.window ?? 0)
        }
    }
}
