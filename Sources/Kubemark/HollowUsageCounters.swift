import KubeModel
import Synchronization

/// The synthetic counters behind the fleet's `/metrics/resource`: per node and per container,
/// the cumulative CPU time grows at the configured rate between two scrapes, so that the rate a
/// scraper computes from two samples is that usage. Counters are integrated in nanocore-seconds
/// from one scrape to the next, so a change of a pod's usage annotation changes the slope, never
/// makes a counter go back.
final class HollowUsageCounters: Sendable {
    struct NodeState: Sendable {
        var lastMillis: Int64
        var nodeNanoSeconds: Int64
        /// By `<pod uid>/<container name>`: cumulative nanocore-seconds.
        var containers: [String: Int64]
    }

    let podDefault: HollowResourceUsage
    let nodeBase: HollowResourceUsage
    /// When the fleet started, in milliseconds since the epoch: where node counters start from.
    let startMillis: Int64
    private let nodes = Mutex<[Int: NodeState]>([:])

    init(podDefault: HollowResourceUsage, nodeBase: HollowResourceUsage, startMillis: Int64) {
        self.podDefault = podDefault
        self.nodeBase = nodeBase
        self.startMillis = startMillis
    }

    /// The metrics of node `index` running `pods` at `nowMillis`; running pods' running
    /// containers count, each from its `startedAt`.
    func sample(node index: Int, pods: [CoreV1.Pod], nowMillis: Int64) -> KubeletResourceMetrics {
        struct Live {
            var key: String, namespace: String, pod: String, container: String
            var startMillis: Int64, usage: HollowResourceUsage
        }
        var live: [Live] = []
        for pod in pods where pod.status.phase == "Running" && pod.metadata.deletionTimestamp == nil {
            let usage = HollowUsageAnnotation.usage(of: pod, defaults: podDefault)
            let uid = pod.metadata.uid ?? ""
            for status in pod.status.containerStatuses ?? [] {
                guard let started = status.state?.running?.startedAt ?? pod.status.startTime,
                      let containerUsage = usage[status.name] else { continue }
                live.append(Live(
                    key: "\(uid)/\(status.name)", namespace: pod.metadata.namespace ?? "default",
                    pod: pod.metadata.name ?? "", container: status.name,
                    startMillis: Self.millis(started), usage: containerUsage))
            }
        }
        let base = nodeBase
        return nodes.withLock { nodes in
            var state = nodes[index] ?? NodeState(lastMillis: startMillis, nodeNanoSeconds: 0, containers: [:])
            let now = max(nowMillis, state.lastMillis)
            let elapsed = now - state.lastMillis
            var containers: [String: Int64] = [:]
            var result: [KubeletResourceMetrics.Container] = []
            var nodeRate = base.cpuNanoCores
            var nodeMemory = base.memoryBytes
            for item in live {
                let cumulative: Int64
                if let previous = state.containers[item.key] {
                    cumulative = previous + item.usage.cpuNanoCores * elapsed / 1000
                } else {
                    cumulative = item.usage.cpuNanoCores * max(0, now - item.startMillis) / 1000
                }
                containers[item.key] = cumulative
                nodeRate += item.usage.cpuNanoCores
                nodeMemory += item.usage.memoryBytes
                result.append(KubeletResourceMetrics.Container(
                    namespace: item.namespace, pod: item.pod, container: item.container,
                    startTime: Double(item.startMillis) / 1000, cpuSeconds: Double(cumulative) / 1e9,
                    memoryBytes: item.usage.memoryBytes))
            }
            state.nodeNanoSeconds += nodeRate * elapsed / 1000
            state.lastMillis = now
            state.containers = containers
            nodes[index] = state
            return KubeletResourceMetrics(
                timestampMillis: now, nodeCPUSeconds: Double(state.nodeNanoSeconds) / 1e9,
                nodeMemoryBytes: nodeMemory, containers: result)
        }
    }

    static func millis(_ time: MetaV1.Time) -> Int64 {
        time.secondsSinceEpoch * 1000
    }
}
