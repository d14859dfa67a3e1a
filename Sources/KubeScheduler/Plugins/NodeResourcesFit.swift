import KubeModel

/// Checks that the node has room for the pod's requests (cpu, memory, ephemeral storage,
/// extended resources, the pod count), and scores nodes by how much stays free, cpu and memory
/// weighted 1 each (upstream `NodeResourcesFit` with the `LeastAllocated` strategy).
///
/// The pod's requests are computed once, when its ``PodInfo`` is built.
public struct NodeResourcesFit: PreFilterPlugin, FilterPlugin, ScorePlugin {
    /// One resource the node lacks (upstream `InsufficientResource`).
    public struct InsufficientResource: Sendable, Equatable {
        public var resourceName: String
        public var reason: String
        public var requested: Int64
        public var used: Int64
        public var capacity: Int64
        /// Even an empty node would not fit the request, so preemption cannot help.
        public var unresolvable: Bool
    }

    /// Extended resources not to check (upstream `ignoredResources`).
    public var ignoredResources: Set<String>
    /// Extended resource groups (the part before `/`) not to check.
    public var ignoredResourceGroups: Set<String>

    public init(ignoredResources: Set<String> = [], ignoredResourceGroups: Set<String> = []) {
        self.ignoredResources = ignoredResources
        self.ignoredResourceGroups = ignoredResourceGroups
    }

    public var name: String { PluginNames.nodeResourcesFit }

    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        if Self.fitsWithoutScalars(pod.requests, node: node) { return .success }
        let insufficient = fits(pod.requests, node: node)
        if insufficient.isEmpty { return .success }
        let code: PluginStatus.Code = insufficient.contains(where: \.unresolvable) ? .unschedulableAndUnresolvable : .unschedulable
        return PluginStatus(code, insufficient.map(\.reason))
    }

    /// Upstream `fitsRequest`: what the node lacks for `request` (empty when it fits).
    public func fits(_ request: Resource, node: NodeInfo) -> [InsufficientResource] {
        var result: [InsufficientResource] = []
        let allocatable = node.allocatable
        let requested = node.requested
        let podCount = Int64(node.podCount)
        if podCount + 1 > allocatable.allowedPodNumber {
            result.append(InsufficientResource(resourceName: Resource.pods, reason: "Too many pods", requested: 1,
                                               used: podCount, capacity: allocatable.allowedPodNumber, unresolvable: false))
        }
        if request.milliCPU == 0 && request.memory == 0 && request.ephemeralStorage == 0 && request.scalarResources.isEmpty {
            return result
        }
        func check(_ name: String, _ reason: String, _ wanted: Int64, _ used: Int64, _ capacity: Int64) {
            guard wanted > 0, wanted > capacity - used else { return }
            result.append(InsufficientResource(resourceName: name, reason: reason, requested: wanted, used: used,
                                               capacity: capacity, unresolvable: wanted > capacity))
        }
        check(Resource.cpu, "Insufficient cpu", request.milliCPU, requested.milliCPU, allocatable.milliCPU)
        check(Resource.memoryName, "Insufficient memory", request.memory, requested.memory, allocatable.memory)
        check(Resource.ephemeralStorageName, "Insufficient ephemeral-storage", request.ephemeralStorage,
              requested.ephemeralStorage, allocatable.ephemeralStorage)
        for (name, wanted) in request.scalarResources.sorted(by: { $0.key < $1.key }) where wanted != 0 {
            if Self.isExtended(name) {
                let group = name.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
                if ignoredResources.contains(name) || ignoredResourceGroups.contains(group) { continue }
            }
            check(name, "Insufficient \(name)", wanted, requested.scalarResources[name] ?? 0,
                  allocatable.scalarResources[name] ?? 0)
        }
        return result
    }

    /// Whether `fits` would find nothing lacking, for a request without scalar resources,
    /// answered without allocating; false means "ask `fits`" (it may still fit).
    static func fitsWithoutScalars(_ request: Resource, node: NodeInfo) -> Bool {
        guard request.scalarResources.isEmpty else { return false }
        let allocatable = node.allocatableCounts
        if Int64(node.podCount) + 1 > allocatable.allowedPodNumber { return false }
        let requested = node.requestedCounts
        func fitsOne(_ wanted: Int64, _ used: Int64, _ capacity: Int64) -> Bool { wanted <= 0 || wanted <= capacity - used }
        return fitsOne(request.milliCPU, requested.milliCPU, allocatable.milliCPU)
            && fitsOne(request.memory, requested.memory, allocatable.memory)
            && fitsOne(request.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage)
    }

    /// Upstream `IsExtendedResourceName`: a prefixed name outside `kubernetes.io/`, not `requests.*`.
    static func isExtended(_ name: String) -> Bool {
        guard name.contains("/"), !name.hasPrefix("requests.") else { return false }
        let prefix = name.prefix { $0 != "/" }
        return !(prefix == "kubernetes.io" || prefix.hasSuffix(".kubernetes.io"))
    }

    /// LeastAllocated: the mean over cpu and memory of `(allocatable - requested) * 100 / allocatable`,
    /// counting the pod and the node's pods with their non-zero requests.
    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        let allocatable = node.allocatableCounts
        let used = node.nonZeroRequestedCounts
        let request = pod.nonZeroRequests
        var total: Int64 = 0
        var weights: Int64 = 0
        if allocatable.milliCPU != 0 {
            total += Self.leastRequestedScore(requested: used.milliCPU + request.milliCPU, capacity: allocatable.milliCPU)
            weights += 1
        }
        if allocatable.memory != 0 {
            total += Self.leastRequestedScore(requested: used.memory + request.memory, capacity: allocatable.memory)
            weights += 1
        }
        return weights == 0 ? 0 : total / weights
    }

    static func leastRequestedScore(requested: Int64, capacity: Int64) -> Int64 {
        if capacity == 0 || requested > capacity { return 0 }
        return (capacity - requested) * maxNodeScore / capacity
    }
}
