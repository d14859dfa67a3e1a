import KubeModel

/// Scheduling cycles without a server (`skiff bench scheduler --in-process`): a cache of
/// nodes, and per pod what `Scheduler.scheduleOne` does up to the binding, that is a snapshot,
/// `SchedulingFramework.schedule` and `assume` on the chosen node.
public struct SchedulingCycleBench: Sendable {
    private var cache = SchedulerCache()
    private let framework: SchedulingFramework
    private var startIndex = 0
    private var random = SplitMix64(seed: 1)

    public init(nodes: [CoreV1.Node], profile: SchedulerProfile = .default()) {
        framework = SchedulingFramework(profile: profile)
        for node in nodes { cache.addOrUpdateNode(node) }
    }

    /// Pods assumed so far, over all nodes.
    public var podCount: Int { cache.podCount }

    /// Schedules the pods one after another, each assumed where it was placed before the next
    /// cycle; returns how many found a node and how many did not.
    public mutating func schedule(_ pods: [PodInfo]) -> (scheduled: Int, unschedulable: Int) {
        var scheduled = 0
        for pod in pods {
            let result = cycle(pod)
            if let node = result {
                cache.assume(pod, on: node)
                scheduled += 1
            }
        }
        return (scheduled, pods.count - scheduled)
    }

    /// One cycle; the snapshot is dropped before the cache changes (no copy on write).
    private mutating func cycle(_ pod: PodInfo) -> String? {
        let snapshot = cache.snapshot()
        let state = CycleState()
        switch framework.schedule(pod, snapshot: snapshot, state: state, startIndex: &startIndex, random: &random) {
        case .success(let result): return result.nodeName
        case .failure: return nil
        }
    }

    /// Where each pod ended up: node name → pod keys (for checking two runs agree).
    public func placements() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for node in cache.snapshot().nodes where !node.pods.isEmpty {
            result[node.name] = node.pods.map(\.key)
        }
        return result
    }
}
