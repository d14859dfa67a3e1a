import KubeModel

/// A node with the pods the scheduler counts on it (upstream's `framework.NodeInfo`): bound,
/// assumed (binding in flight) or nominated for the cycle at hand, with running totals kept as
/// pods come and go. A value type whose state sits in one shared buffer copied only when a
/// shared copy is changed, so handing NodeInfos to plugins costs one reference count each.
public struct NodeInfo: Sendable {
    /// The state; never mutated while shared (see `makeUnique`), hence safe to send. For the
    /// same reason no two accesses to a field can overlap, so the fields, read for every node
    /// in every cycle, go without dynamic exclusivity checks. The fields plugins read most
    /// (labels, taints, unschedulable) are copied out of the Node when it is set.
    ///
    /// The fields every filter pass reads for every node (scheduling failures, the pod count,
    /// the resource totals) come first, next to the object's header, and the Node itself last:
    /// stored inline, it would push them several cache lines away. A cycle reads them for
    /// hundreds of nodes, so each line fewer is a cache miss fewer per node.
    private final class Storage: @unchecked Sendable {
        let name: String
        @exclusivity(unchecked) var unschedulable = false
        /// `node != nil`, kept apart: testing the optional itself copies the whole Node.
        @exclusivity(unchecked) var hasNode = false
        /// `pods.count`, kept apart: counting the array reads its buffer, another cache line.
        @exclusivity(unchecked) var podCount = 0
        @exclusivity(unchecked) var allocatable = Resource()
        @exclusivity(unchecked) var requested = Resource()
        @exclusivity(unchecked) var nonZeroRequested = Resource()
        @exclusivity(unchecked) var generation: Int64 = 0
        @exclusivity(unchecked) var taints: [CoreV1.Taint] = []
        @exclusivity(unchecked) var labels: [String: String] = [:]
        @exclusivity(unchecked) var pods: [PodInfo] = []
        @exclusivity(unchecked) var podsWithAffinity: [PodInfo] = []
        @exclusivity(unchecked) var podsWithRequiredAntiAffinity: [PodInfo] = []
        @exclusivity(unchecked) var usedPorts: [HostPort] = []
        @exclusivity(unchecked) var imageSizes: [String: Int64] = [:]
        @exclusivity(unchecked) var node: CoreV1.Node?

        init(name: String) { self.name = name }

        func copy() -> Storage {
            let copy = Storage(name: name)
            copy.node = node
            copy.hasNode = hasNode
            copy.labels = labels
            copy.taints = taints
            copy.unschedulable = unschedulable
            copy.pods = pods
            copy.podCount = podCount
            copy.podsWithAffinity = podsWithAffinity
            copy.podsWithRequiredAntiAffinity = podsWithRequiredAntiAffinity
            copy.usedPorts = usedPorts
            copy.requested = requested
            copy.nonZeroRequested = nonZeroRequested
            copy.allocatable = allocatable
            copy.imageSizes = imageSizes
            copy.generation = generation
            return copy
        }
    }

    private var storage: Storage

    public init(name: String, node: CoreV1.Node? = nil, pods: [CoreV1.Pod] = []) {
        storage = Storage(name: name)
        if let node { setNode(node) }
        for pod in pods { add(PodInfo(pod)) }
    }

    public init(node: CoreV1.Node, pods: [CoreV1.Pod] = []) {
        self.init(name: node.metadata.name ?? "", node: node, pods: pods)
    }

    public var name: String { storage.name }
    /// Nil while pods are known on a node the cache has not seen yet.
    public var node: CoreV1.Node? { storage.node }
    /// Whether the Node object is known (`node != nil`), without copying it.
    public var hasNode: Bool { storage.hasNode }
    public var pods: [PodInfo] { storage.pods }
    /// `pods.count`.
    public var podCount: Int { storage.podCount }
    /// Pods with pod affinity or anti-affinity terms (for InterPodAffinity).
    public var podsWithAffinity: [PodInfo] { storage.podsWithAffinity }
    /// Pods with required anti-affinity terms.
    public var podsWithRequiredAntiAffinity: [PodInfo] { storage.podsWithRequiredAntiAffinity }
    public var usedPorts: [HostPort] { storage.usedPorts }
    /// Sum of the pods' effective requests.
    public var requested: Resource { storage.requested }
    /// Sum of the pods' non-zero requests (scoring).
    public var nonZeroRequested: Resource { storage.nonZeroRequested }
    /// The node's allocatable resources (`status.allocatable`).
    public var allocatable: Resource { storage.allocatable }
    /// `allocatable` without its extended resources: read in place, no reference counted.
    public var allocatableCounts: Resource.Counts { storage.allocatable.counts }
    /// `requested` without its extended resources: read in place, no reference counted.
    public var requestedCounts: Resource.Counts { storage.requested.counts }
    /// `nonZeroRequested` without its extended resources: read in place, no reference counted.
    public var nonZeroRequestedCounts: Resource.Counts { storage.nonZeroRequested.counts }
    /// Image sizes by every name the node reports for them (ImageLocality).
    public var imageSizes: [String: Int64] { storage.imageSizes }
    /// Bumped on every change, so snapshots can tell what moved.
    public var generation: Int64 { storage.generation }

    /// The Node's labels (empty without a Node).
    public var labels: [String: String] { storage.labels }
    /// The Node's taints (empty without a Node).
    public var taints: [CoreV1.Taint] { storage.taints }
    /// The Node's `spec.unschedulable` (false without a Node).
    public var unschedulable: Bool { storage.unschedulable }

    private mutating func makeUnique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public mutating func setNode(_ node: CoreV1.Node) {
        let state = makeUnique()
        state.node = node
        state.hasNode = true
        state.labels = node.metadata.labels ?? [:]
        state.taints = node.spec.taints ?? []
        state.unschedulable = node.spec.unschedulable == true
        state.allocatable = Resource(node.status.allocatable)
        var sizes: [String: Int64] = [:]
        for image in node.status.images ?? [] {
            for name in image.names ?? [] { sizes[name] = image.sizeBytes ?? 0 }
        }
        state.imageSizes = sizes
        state.generation += 1
    }

    public mutating func removeNode() {
        let state = makeUnique()
        state.node = nil
        state.hasNode = false
        state.labels = [:]
        state.taints = []
        state.unschedulable = false
        state.allocatable = Resource()
        state.imageSizes = [:]
        state.generation += 1
    }

    public mutating func add(_ pod: PodInfo) {
        let state = makeUnique()
        state.pods.append(pod)
        state.podCount = state.pods.count
        if pod.hasAffinityTerms { state.podsWithAffinity.append(pod) }
        if pod.hasRequiredAntiAffinity { state.podsWithRequiredAntiAffinity.append(pod) }
        state.usedPorts.append(contentsOf: pod.hostPorts)
        state.requested += pod.requests
        state.nonZeroRequested += pod.nonZeroRequests
        state.generation += 1
    }

    /// Removes the pod with this key; false if it was not here.
    @discardableResult
    public mutating func remove(key: String) -> Bool {
        guard let index = storage.pods.firstIndex(where: { $0.key == key }) else { return false }
        let state = makeUnique()
        let pod = state.pods.remove(at: index)
        state.podCount = state.pods.count
        if pod.hasAffinityTerms { state.podsWithAffinity.removeAll { $0.key == key } }
        if pod.hasRequiredAntiAffinity { state.podsWithRequiredAntiAffinity.removeAll { $0.key == key } }
        for port in pod.hostPorts {
            if let used = state.usedPorts.firstIndex(of: port) { state.usedPorts.remove(at: used) }
        }
        state.requested -= pod.requests
        state.nonZeroRequested -= pod.nonZeroRequests
        state.generation += 1
        return true
    }

    /// Whether no node and no pods are left (the cache can forget it).
    public var isEmpty: Bool { !storage.hasNode && storage.pods.isEmpty }
}
