import KubeModel

/// A scheduling plugin: one concern (resources, taints, affinity, …) at one or more
/// extension points. Plugins are stateless between cycles; per-cycle data lives in
/// ``CycleState`` under the plugin's name.
public protocol Plugin: Sendable {
    var name: String { get }
}

/// Runs once per pod before filtering: precomputes what Filter needs, or rejects the pod for
/// every node at once.
public protocol PreFilterPlugin: Plugin {
    func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus
}

/// Keeps PreFilter's data right when preemption adds or removes pods in its what-if runs
/// (upstream's `PreFilterExtensions`).
public protocol PreFilterExtensions: PreFilterPlugin {
    func addPod(_ state: CycleState, pod: PodInfo, adding: PodInfo, to node: NodeInfo) -> PluginStatus
    func removePod(_ state: CycleState, pod: PodInfo, removing: PodInfo, from node: NodeInfo) -> PluginStatus
}

/// Says whether the pod fits on one node.
public protocol FilterPlugin: Plugin {
    func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus
}

/// Runs when no node passed the filters (preemption).
public protocol PostFilterPlugin: Plugin {
    func postFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot,
                    filtered: [String: PluginStatus], framework: SchedulingFramework) -> PostFilterResult
}

/// What a PostFilter plugin found: a node to nominate (after evicting `victims`), or nothing.
public struct PostFilterResult: Sendable {
    public var nominatedNodeName: String?
    public var victims: [PodInfo]
    public var status: PluginStatus

    public init(nominatedNodeName: String? = nil, victims: [PodInfo] = [], status: PluginStatus) {
        self.nominatedNodeName = nominatedNodeName
        self.victims = victims
        self.status = status
    }
}

/// Runs once per pod before scoring, with the nodes that passed the filters.
public protocol PreScorePlugin: Plugin {
    func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> PluginStatus
}

/// Scores one feasible node (higher is better), then normalises all scores to 0...100.
public protocol ScorePlugin: Plugin {
    func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64
    /// Brings `scores` (in the order of `nodes`) into 0...``maxNodeScore``.
    func normalize(_ state: CycleState, pod: PodInfo, scores: inout [Int64])
}

extension ScorePlugin {
    public func normalize(_ state: CycleState, pod: PodInfo, scores: inout [Int64]) {}
}

/// The highest score a plugin may give after normalisation (upstream's `MaxNodeScore`).
public let maxNodeScore: Int64 = 100

extension [Int64] {
    /// Scales the scores so the largest becomes 100 (`reverse`: the largest becomes 0 and 0
    /// becomes 100), as upstream's `DefaultNormalizeScore` does.
    public mutating func normalizeToMaxScore(reverse: Bool) {
        let highest = self.max() ?? 0
        if highest == 0 {
            if reverse { for index in indices { self[index] = maxNodeScore } }
            return
        }
        for index in indices {
            var score = maxNodeScore * self[index] / highest
            if reverse { score = maxNodeScore - score }
            self[index] = score
        }
    }
}

/// Claims what the pod takes on the chosen node before the binding cycle (upstream's Reserve),
/// so the next cycles see it; `unreserve` gives it back when a later step fails.
public protocol ReservePlugin: Plugin {
    func reserve(_ state: CycleState, pod: PodInfo, nodeName: String) -> PluginStatus
    func unreserve(_ state: CycleState, pod: PodInfo, nodeName: String)
}

/// Runs in the binding cycle before `pods/binding` (upstream's PreBind): the API writes the
/// binding depends on, such as binding the pod's volumes.
public protocol PreBindPlugin: Plugin {
    func preBind(_ state: CycleState, pod: PodInfo, nodeName: String, handle: any PreBindHandle) async -> PluginStatus
}

/// What PreBind plugins reach of the cluster (upstream hands plugins its clientset and informers).
public protocol PreBindHandle: Sendable {
    /// The scheduler's current view of claims, volumes and classes.
    var volumes: any VolumeCatalog { get }
    /// PUT of a PersistentVolume; answers the stored object.
    func update(_ volume: CoreV1.PersistentVolume) async throws -> CoreV1.PersistentVolume
    /// PUT of a PersistentVolumeClaim; answers the stored object.
    func update(_ claim: CoreV1.PersistentVolumeClaim) async throws -> CoreV1.PersistentVolumeClaim
    /// Asks `done` now and whenever a claim or volume changes, until it answers true (true), it
    /// throws (rethrown), or `deadline` passes (false).
    func waitForVolumes(until deadline: ContinuousClock.Instant, _ done: @Sendable () throws -> Bool) async throws -> Bool
}
