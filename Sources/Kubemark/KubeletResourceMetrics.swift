/// One scrape of a kubelet's `/metrics/resource` endpoint: the node's and its containers'
/// cumulative CPU time and working sets, rendered in the Prometheus text format exactly as
/// kubelet's resource metrics collector writes it (families by name, labels by name, each
/// sample with its timestamp in milliseconds).
public struct KubeletResourceMetrics: Sendable, Equatable {
    public struct Container: Sendable, Equatable {
        public var namespace: String
        public var pod: String
        public var container: String
        /// Seconds since the epoch.
        public var startTime: Double
        /// Cumulative CPU time in core-seconds.
        public var cpuSeconds: Double
        public var memoryBytes: Int64

        public init(namespace: String, pod: String, container: String, startTime: Double, cpuSeconds: Double, memoryBytes: Int64) {
            self.namespace = namespace
            self.pod = pod
            self.container = container
            self.startTime = startTime
            self.cpuSeconds = cpuSeconds
            self.memoryBytes = memoryBytes
        }
    }

    /// When the values were taken, in milliseconds since the epoch.
    public var timestampMillis: Int64
    public var nodeCPUSeconds: Double
    public var nodeMemoryBytes: Int64
    public var containers: [Container]

    public init(timestampMillis: Int64, nodeCPUSeconds: Double, nodeMemoryBytes: Int64, containers: [Container]) {
        self.timestampMillis = timestampMillis
        self.nodeCPUSeconds = nodeCPUSeconds
        self.nodeMemoryBytes = nodeMemoryBytes
        self.containers = containers
    }

    /// The `Content-Type` kubelet answers with (Prometheus text format 0.0.4).
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition text.
    public func render() -> String {
        let ts = " \(timestampMillis)"
        let containers = self.containers.sorted {
            ($0.namespace, $0.pod, $0.container) < ($1.namespace, $1.pod, $1.container)
        }
        func containerLabels(_ c: Container) -> String {
            "{container=\"\(Self.escape(c.container))\",namespace=\"\(Self.escape(c.namespace))\",pod=\"\(Self.escape(c.pod))\"}"
        }
        struct PodKey: Hashable, Comparable {
            var namespace: String, pod: String
            static func < (a: PodKey, b: PodKey) -> Bool { (a.namespace, a.pod) < (b.namespace, b.pod) }
        }
        var pods: [PodKey: (cpu: Double, memory: Int64)] = [:]
        for c in containers {
            let key = PodKey(namespace: c.namespace, pod: c.pod)
            let sum = pods[key] ?? (0, 0)
            pods[key] = (sum.cpu + c.cpuSeconds, sum.memory + c.memoryBytes)
        }
        let podKeys = pods.keys.sorted()
        func podLabels(_ key: PodKey) -> String {
            "{namespace=\"\(Self.escape(key.namespace))\",pod=\"\(Self.escape(key.pod))\"}"
        }

        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) [STABLE] \(help)\n# TYPE \(name) \(type)\n"
        }
        family("container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the container in core-seconds")
        for c in containers { out += "container_cpu_usage_seconds_total\(containerLabels(c)) \(Self.format(c.cpuSeconds))\(ts)\n" }
        family("container_memory_working_set_bytes", "gauge", "Current working set of the container in bytes")
        for c in containers { out += "container_memory_working_set_bytes\(containerLabels(c)) \(Self.format(Double(c.memoryBytes)))\(ts)\n" }
        family("container_start_time_seconds", "gauge", "Start time of the container since unix epoch in seconds")
        for c in containers { out += "container_start_time_seconds\(containerLabels(c)) \(Self.format(c.startTime))\(ts)\n" }
        family("node_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the node in core-seconds")
        out += "node_cpu_usage_seconds_total \(Self.format(nodeCPUSeconds))\(ts)\n"
        family("node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes")
        out += "node_memory_working_set_bytes \(Self.format(Double(nodeMemoryBytes)))\(ts)\n"
        family("pod_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the pod in core-seconds")
        for key in podKeys { out += "pod_cpu_usage_seconds_total\(podLabels(key)) \(Self.format(pods[key]!.cpu))\(ts)\n" }
        family("pod_memory_working_set_bytes", "gauge", "Current working set of the pod in bytes")
        for key in podKeys { out += "pod_memory_working_set_bytes\(podLabels(key)) \(Self.format(Double(pods[key]!.memory)))\(ts)\n" }
        family("resource_scrape_error", "gauge", "1 if there was an error while getting container metrics, 0 otherwise")
        out += "resource_scrape_error 0\n"
        return out
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escape(_ value: String) -> String {
        var out = ""
        for ch in value {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A sample value: whole numbers below 2^53 without a fraction, others as Swift's shortest
    /// round-tripping form (both parse as Go's `strconv.ParseFloat` does).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }
}
