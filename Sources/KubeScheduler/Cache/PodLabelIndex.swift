import KubeModel

/// The placed pods (bound or assumed) by label, kept by the scheduler cache as pods come and
/// go. A selector that requires a label value (`app=web`, `tier in (a,b)`, which is what pod
/// affinity terms almost always are) can only select pods carrying one of those values, so
/// counting what such a term selects visits those pods instead of every pod on every node.
/// Upstream walks all pods for each cycle, in parallel; on a small machine that walk is most
/// of a cycle with required anti-affinity.
public struct PodLabelIndex: Sendable {
    /// A placed pod and the name of its node.
    public struct Entry: Sendable {
        public let pod: PodInfo
        public let node: String
    }

    /// label key → label value → pod key → entry.
    private var byLabel: [String: [String: [String: Entry]]] = [:]
    /// pod key → entry, to find a pod's labels when it goes.
    private var placed: [String: Entry] = [:]

    public init() {}

    /// Indexes every pod of `nodes` (for snapshots built without a cache).
    init(nodes: [NodeInfo]) {
        for node in nodes {
            for pod in node.pods { insert(pod, node: node.name) }
        }
    }

    public var count: Int { placed.count }

    /// Records `pod` on `node`, replacing what was recorded under its key.
    mutating func insert(_ pod: PodInfo, node: String) {
        // A newer copy of a pod whose labels and node stay (a status update, the binding of an
        // assumed pod) replaces its entries where they are.
        if let current = placed[pod.key], current.node == node, current.pod.labels == pod.labels {
            let entry = Entry(pod: pod, node: node)
            placed[pod.key] = entry
            for (key, value) in pod.labels { byLabel[key]?[value]?[pod.key] = entry }
            return
        }
        remove(key: pod.key)
        let entry = Entry(pod: pod, node: node)
        placed[pod.key] = entry
        for (key, value) in pod.labels {
            byLabel[key, default: [:]][value, default: [:]][pod.key] = entry
        }
    }

    mutating func remove(key podKey: String) {
        guard let entry = placed.removeValue(forKey: podKey) else { return }
        for (key, value) in entry.pod.labels {
            // Taken out while changed, so the buckets are changed in place, not copied.
            guard var values = byLabel.removeValue(forKey: key) else { continue }
            if var pods = values.removeValue(forKey: value) {
                pods[podKey] = nil
                if !pods.isEmpty { values[value] = pods }
            }
            if !values.isEmpty { byLabel[key] = values }
        }
    }

    /// The pods `selector` may select, or nil when it requires no label value (then any pod
    /// may match). Taken from the requirement with the fewest candidates; the caller still
    /// matches each candidate against the whole selector.
    public func candidates(for selector: Labels.Selector) -> [Entry]? {
        if selector.matchesNothing { return [] }
        var best: [[String: Entry]]?
        var bestCount = Int.max
        for requirement in selector.requirements {
            switch requirement.operator {
            case .in, .equals, .doubleEquals:
                let values = byLabel[requirement.key] ?? [:]
                let buckets = requirement.values.compactMap { values[$0] }
                let count = buckets.reduce(0) { $0 + $1.count }
                if count < bestCount {
                    best = buckets
                    bestCount = count
                }
            default:
                continue
            }
        }
        return best.map { buckets in buckets.flatMap(\.values) }
    }
}
