/// Turns one kubelet's `/metrics/resource` samples into a ``MetricsBatch`` as metrics-server
/// decodes them: node CPU and working set, per-container CPU, working set and start time;
/// samples without a timestamp take the scrape time. A node missing its CPU, memory or
/// timestamp is left out, and so is a pod any of whose containers lacks CPU or memory.
public enum ResourceMetricsDecoder {
    public static func decode(_ samples: [PrometheusSample], node: String, scrapeTime: Int64) -> MetricsBatch {
        var nodePoint = MetricsPoint(timestamp: 0, cumulativeCPUUsed: 0, memoryUsage: 0)
        var pods: [PodReference: [String: MetricsPoint]] = [:]
        let empty = MetricsPoint(timestamp: 0, cumulativeCPUUsed: 0, memoryUsage: 0)
        for sample in samples {
            let timestamp = sample.timestampMillis.map { $0 * 1_000_000 } ?? scrapeTime
            switch sample.name {
            case "node_cpu_usage_seconds_total":
                nodePoint.cumulativeCPUUsed = nanoUnits(sample.value)
                nodePoint.timestamp = timestamp
            case "node_memory_working_set_bytes":
                nodePoint.memoryUsage = whole(sample.value)
                nodePoint.timestamp = timestamp
            case "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "container_start_time_seconds":
                let pod = PodReference(namespace: sample.labels["namespace"] ?? "", name: sample.labels["pod"] ?? "")
                let container = sample.labels["container"] ?? ""
                var point = pods[pod]?[container] ?? empty
                switch sample.name {
                case "container_cpu_usage_seconds_total":
                    point.cumulativeCPUUsed = nanoUnits(sample.value)
                    point.timestamp = timestamp
                case "container_memory_working_set_bytes":
                    point.memoryUsage = whole(sample.value)
                    point.timestamp = timestamp
                default:
                    point.startTime = sample.value.isFinite ? Int64(sample.value * 1e9) : 0
                }
                pods[pod, default: [:]][container] = point
            default:
                continue
            }
        }
        var batch = MetricsBatch()
        if nodePoint.timestamp != 0 && nodePoint.cumulativeCPUUsed != 0 && nodePoint.memoryUsage != 0 {
            batch.nodes[node] = nodePoint
        }
        for (pod, containers) in pods where !containers.isEmpty {
            var complete: [String: MetricsPoint]? = [:]
            for (name, point) in containers where point != empty {
                if point.cumulativeCPUUsed == 0 || point.memoryUsage == 0 {
                    complete = nil
                    break
                }
                complete?[name] = point
            }
            if let complete { batch.pods[pod] = complete }
        }
        return batch
    }

    /// Seconds (or core-seconds) as whole nano-units, as Go's `uint64(value * 1e9)` truncates.
    static func nanoUnits(_ value: Double) -> UInt64 {
        let scaled = value * 1e9
        guard scaled.isFinite, scaled > 0 else { return 0 }
        return scaled >= 1.8446744073709552e19 ? UInt64.max : UInt64(scaled)
    }

    static func whole(_ value: Double) -> UInt64 {
        guard value.isFinite, value > 0 else { return 0 }
        return value >= 1.8446744073709552e19 ? UInt64.max : UInt64(value)
    }
}
