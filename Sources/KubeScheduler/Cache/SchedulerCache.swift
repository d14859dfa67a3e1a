import KubeModel

/// What the scheduler believes is on each node (upstream's `internal/cache`): bound pods from
/// the informer plus pods it has assumed onto a node while their binding is in flight, so the
/// next cycle already counts them. An assumed pod is confirmed when the informer reports it
/// bound, or forgotten if the binding fails.
struct SchedulerCache: Sendable {
    private enum PodState: Sendable {
        case assumed(node: String)
        case bound(node: String)

        var node: String {
            switch self {
            case .assumed(let node), .bound(let node): node
            }
        }
    }

    private var nodes: [NodeInfo] = []
    private var indexByName: [String: Int] = [:]
    /// Pods reported on nodes the cache has no Node object for (yet).
    private var nodelessPods: [String: NodeInfo] = [:]
    private var pods: [String: PodState] = [:]
    /// Positions in `nodes` of nodes with pods that have affinity terms, kept as pods come and
    /// go so a snapshot need not look at every node (upstream's `havePodsWithAffinityNodeInfoList`).
    private var affinityNodeIndices: Set<Int> = []
    /// The same for pods with required anti-affinity terms.
    private var requiredAntiAffinityNodeIndices: Set<Int> = []
    /// Every assumed or bound pod by label.
    private var podLabels = PodLabelIndex()

    var nodeCount: Int { nodes.count }
    var podCount: Int { pods.count }

    /// The nodes for one cycle. Cheap (copy on write): drop it before changing the cache.
    func snapshot() -> ClusterSnapshot {
        ClusterSnapshot(nodes: nodes, indexByName: indexByName, affinityNodeIndices: affinityNodeIndices,
                        requiredAntiAffinityNodeIndices: requiredAntiAffinityNodeIndices, podLabels: podLabels)
    }

    func node(named name: String) -> NodeInfo? {
        indexByName[name].map { nodes[$0] }
    }

    /// Whether the pod is assumed or bound somewhere (a popped pod in that state is skipped).
    func isAssumedOrBound(_ key: String) -> Bool { pods[key] != nil }

    func isAssumed(_ key: String) -> Bool {
        if case .assumed = pods[key] { return true }
        return false
    }

    // MARK: Nodes

    mutating func addOrUpdateNode(_ node: CoreV1.Node) {
        let name = node.metadata.name ?? ""
        if let index = indexByName[name] {
            nodes[index].setNode(node)
            return
        }
        var info = nodelessPods.removeValue(forKey: name) ?? NodeInfo(name: name)
        info.setNode(node)
        indexByName[name] = nodes.count
        nodes.append(info)
        refreshAffinityIndices(at: nodes.count - 1)
    }

    /// Forgets the node; pods still reported on it are kept until they are deleted.
    mutating func removeNode(named name: String) {
        guard let index = indexByName.removeValue(forKey: name) else { return }
        let last = nodes.count - 1
        if index != last {
            nodes.swapAt(index, last)
            indexByName[nodes[index].name] = index
        }
        var removed = nodes.removeLast()
        affinityNodeIndices.remove(last)
        requiredAntiAffinityNodeIndices.remove(last)
        if index != last { refreshAffinityIndices(at: index) }
        removed.removeNode()
        if !removed.pods.isEmpty { nodelessPods[name] = removed }
    }

    // MARK: Pods

    /// The informer reports a pod bound to a node: confirm an assumed pod, or count a new one.
    mutating func addOrUpdateBoundPod(_ pod: CoreV1.Pod) {
        let info = PodInfo(pod)
        let nodeName = info.nodeName
        if let current = pods[info.key] {
            withNodeInfo(current.node) { $0.remove(key: info.key) }
        }
        withNodeInfo(nodeName) { $0.add(info) }
        pods[info.key] = .bound(node: nodeName)
        podLabels.insert(info, node: nodeName)
    }

    /// The pod is gone (deleted, finished, or no longer bound).
    mutating func removePod(key: String) {
        guard let state = pods.removeValue(forKey: key) else { return }
        withNodeInfo(state.node) { $0.remove(key: key) }
        podLabels.remove(key: key)
    }

    /// Counts the pod on `node` before its binding lands.
    mutating func assume(_ pod: PodInfo, on node: String) {
        var bound = pod.pod
        bound.spec.nodeName = node
        let info = PodInfo(bound, boundCopyOf: pod)
        if let current = pods[info.key] {
            withNodeInfo(current.node) { $0.remove(key: info.key) }
        }
        withNodeInfo(node) { $0.add(info) }
        pods[info.key] = .assumed(node: node)
        podLabels.insert(info, node: node)
    }

    /// The binding failed: the assumed pod no longer counts (a confirmed pod is left alone).
    mutating func forget(key: String) {
        guard case .assumed(let node) = pods[key] else { return }
        pods[key] = nil
        withNodeInfo(node) { $0.remove(key: key) }
        podLabels.remove(key: key)
    }

    /// Brings both affinity index sets up to date for the node at `index`.
    private mutating func refreshAffinityIndices(at index: Int) {
        let node = nodes[index]
        if node.podsWithAffinity.isEmpty {
            affinityNodeIndices.remove(index)
        } else {
            affinityNodeIndices.insert(index)
        }
        if node.podsWithRequiredAntiAffinity.isEmpty {
            requiredAntiAffinityNodeIndices.remove(index)
        } else {
            requiredAntiAffinityNodeIndices.insert(index)
        }
    }

    private mutating func withNodeInfo(_ name: String, _ body: (inout NodeInfo) -> Void) {
        if let index = indexByName[name] {
            body(&nodes[index])
            refreshAffinityIndices(at: index)
            return
        }
        var info = nodelessPods[name] ?? NodeInfo(name: name)
        body(&info)
        nodelessPods[name] = info.isEmpty ? nil : info
    }
}
