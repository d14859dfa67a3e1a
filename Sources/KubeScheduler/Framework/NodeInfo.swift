import KubeModel

/// A node with the pods the scheduler counts on it (upstream's `framework.NodeInfo`): bound,
/// assumed (binding in flight) or nominated for the cycle at hand, with running totals kept as
/// pods come and go.
public struct NodeInfo: Sendable {
    public let name: String
    /// Nil while pods are known on a node the cache has not seen yet.
    public private(set) var node: CoreV1.Node?
    public private(set) var pods: [PodInfo] = []
    /// Pods with pod affinity or anti-affinity terms (for InterPodAffinity).
    public private(set) var podsWithAffinity: [PodInfo] = []
    /// Pods with required anti-affinity terms.
    public private(set) var podsWithRequiredAntiAffinity: [PodInfo] = []
    public private(set) var usedPorts: [HostPort] = []
    /// Sum of the pods' effective requests.
    public private(set) var requested = Resource()
    /// Sum of the pods' non-zero requests (scoring).
    public private(set) var nonZeroRequested = Resource()
    /// The node's allocatable resources (`status.allocatable`).
    public private(set) var allocatable = Resource()
    /// Image sizes by every name the node reports for them (ImageLocality).
    public private(set) var imageSizes: [String: Int64] = [:]
    /// Bumped on every change, so snapshots can tell what moved.
    public internal(set) var generation: Int64 = 0

    public init(name: String, node: CoreV1.Node? = nil, pods: [CoreV1.Pod] = []) {
        self.name = name
        if let node { setNode(node) }
        for pod in pods { add(PodInfo(pod)) }
    }

    public init(node: CoreV1.Node, pods: [CoreV1.Pod] = []) {
        self.init(name: node.metadata.name ?? "", node: node, pods: pods)
    }

    public var labels: [String: String] { node?.metadata.labels ?? [:] }
    public var taints: [CoreV1.Taint] { node?.spec.taints ?? [] }

    public mutating func setNode(_ node: CoreV1.Node) {
        self.node = node
        allocatable = Resource(node.status.allocatable)
        var sizes: [String: Int64] = [:]
        for image in node.status.images ?? [] {
            for name in image.names ?? [] { sizes[name] = image.sizeBytes ?? 0 }
        }
        imageSizes = sizes
        generation += 1
    }

    public mutating func removeNode() {
        node = nil
        allocatable = Resource()
        imageSizes = [:]
        generation += 1
    }

    public mutating func add(_ pod: PodInfo) {
        pods.append(pod)
        if pod.hasAffinityTerms { podsWithAffinity.append(pod) }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity.append(pod) }
        usedPorts.append(contentsOf: pod.hostPorts)
        requested += pod.requests
        nonZeroRequested += pod.nonZeroRequests
        generation += 1
    }

    /// Removes the pod with this key; false if it was not here.
    @discardableResult
    public mutating func remove(key: String) -> Bool {
        guard let index = pods.firstIndex(where: { $0.key == key }) else { return false }
        let pod = pods.remove(at: index)
        if pod.hasAffinityTerms { podsWithAffinity.removeAll { $0.key == key } }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity.removeAll { $0.key == key } }
        for port in pod.hostPorts {
            if let used = usedPorts.firstIndex(of: port) { usedPorts.remove(at: used) }
        }
        requested -= pod.requests
        nonZeroRequested -= pod.nonZeroRequests
        generation += 1
        return true
    }

    /// Whether no node and no pods are left (the cache can forget it).
    public var isEmpty: Bool { node == nil && pods.isEmpty }
}
