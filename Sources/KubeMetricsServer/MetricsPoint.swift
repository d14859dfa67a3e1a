import KubeModel

/// A node's or container's usage at one moment, as read from kubelet (metrics-server's
/// `MetricsPoint`). Times are nanoseconds since the epoch.
public struct MetricsPoint: Sendable, Equatable {
    /// When the container started (its cumulative CPU was zero then); 0 when unknown (nodes).
    public var startTime: Int64
    /// When the values were measured.
    public var timestamp: Int64
    /// Cumulative CPU time since `startTime`, in nanocore-seconds.
    public var cumulativeCPUUsed: UInt64
    /// Working set in bytes.
    public var memoryUsage: UInt64

    public init(startTime: Int64 = 0, timestamp: Int64, cumulativeCPUUsed: UInt64, memoryUsage: UInt64) {
        self.startTime = startTime
        self.timestamp = timestamp
        self.cumulativeCPUUsed = cumulativeCPUUsed
        self.memoryUsage = memoryUsage
    }
}

/// The metrics of one scrape round: every node's point and every pod's container points.
public struct MetricsBatch: Sendable, Equatable {
    public var nodes: [String: MetricsPoint]
    /// By pod, then by container name.
    public var pods: [PodReference: [String: MetricsPoint]]

    public init(nodes: [String: MetricsPoint] = [:], pods: [PodReference: [String: MetricsPoint]] = [:]) {
        self.nodes = nodes
        self.pods = pods
    }

    /// Adds another node's batch (pods of different nodes never collide).
    public mutating func merge(_ other: MetricsBatch) {
        nodes.merge(other.nodes) { _, new in new }
        pods.merge(other.pods) { _, new in new }
    }
}

/// `namespace/name` of a pod.
public struct PodReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (a: PodReference, b: PodReference) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
}

/// Usage computed from two points: CPU as the rate between them, memory as the last working set.
public struct ResourceUsage: Sendable, Equatable {
    public var cpuNanoCores: UInt64
    public var memoryBytes: UInt64
    /// The later point's time (nanoseconds since the epoch).
    public var timestamp: Int64
    /// The time between the two points, in nanoseconds.
    public var window: Int64

    public init(cpuNanoCores: UInt64, memoryBytes: UInt64, timestamp: Int64, window: Int64) {
        self.cpuNanoCores = cpuNanoCores
        self.memoryBytes = memoryBytes
        self.timestamp = timestamp
        self.window = window
    }

    /// Why two points give no usage.
    public enum Failure: Error, Sendable, Equatable {
        case startTimeDecreased
        case cumulativeCPUDecreased
        case emptyWindow
    }

    /// metrics-server's `resourceUsage(last, prev)`: the CPU rate truncated to whole nanocores.
    public static func between(last: MetricsPoint, prev: MetricsPoint) -> Result<ResourceUsage, Failure> {
        if last.startTime < prev.startTime { return .failure(.startTimeDecreased) }
        if last.cumulativeCPUUsed < prev.cumulativeCPUUsed { return .failure(.cumulativeCPUDecreased) }
        let window = last.timestamp - prev.timestamp
        guard window > 0 else { return .failure(.emptyWindow) }
        let rate = Double(last.cumulativeCPUUsed - prev.cumulativeCPUUsed) / (Double(window) / 1e9)
        return .success(ResourceUsage(
            cpuNanoCores: UInt64(rate), memoryBytes: last.memoryUsage, timestamp: last.timestamp, window: window))
    }

    /// `cpu` in nanocores (canonical, e.g. `10m`), `memory` in bytes (binary SI, e.g. `16Mi`).
    public var resourceList: [String: Quantity] {
        [
            "cpu": Quantity(scaled: Int64(clamping: cpuNanoCores), scale: -9),
            "memory": Quantity(value: Int64(clamping: memoryBytes), format: .binarySI),
        ]
    }
}
