/// Pending pods nominated to a node (upstream's `nominator`): a preemptor waits there for its
/// victims to go, and pods of lower priority must not take the room it made. A pod is
/// nominated by its `status.nominatedNodeName` or, before that write lands, by the scheduler's
/// own preemption decision; the nomination ends when the pod is scheduled, bound, deleted, or
/// its nomination is cleared.
struct Nominator: Sendable {
    private var podsByNode: [String: [PodInfo]] = [:]
    private var nodeByKey: [String: String] = [:]

    var isEmpty: Bool { nodeByKey.isEmpty }

    /// Nominates `pod` to `node` (replacing an earlier nomination of the same pod); an empty
    /// node name only removes it.
    mutating func nominate(_ pod: PodInfo, to node: String) {
        remove(key: pod.key)
        guard !node.isEmpty else { return }
        podsByNode[node, default: []].append(pod)
        nodeByKey[pod.key] = node
    }

    mutating func remove(key: String) {
        guard let node = nodeByKey.removeValue(forKey: key) else { return }
        podsByNode[node]?.removeAll { $0.key == key }
        if podsByNode[node]?.isEmpty == true { podsByNode[node] = nil }
    }

    /// The node `key` is nominated to, if any.
    func node(of key: String) -> String? { nodeByKey[key] }

    /// The pods nominated to `node` that `pod` must leave room for (upstream's
    /// `addGENominatedPods`): those of at least its priority, other than itself.
    func podsToRespect(on node: String, by pod: PodInfo) -> [PodInfo] {
        guard let nominated = podsByNode[node] else { return [] }
        return nominated.filter { $0.priority >= pod.priority && $0.key != pod.key }
    }
}
