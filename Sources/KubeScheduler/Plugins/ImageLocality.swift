import KubeModel

/// Prefers nodes that already have the pod's container images, weighting each image by its
/// size and by how many nodes share it, so that one node holding a popular image does not
/// attract every pod (upstream `ImageLocality`).
public struct ImageLocality: PreScorePlugin, ScorePlugin {
    static let mb: Int64 = 1024 * 1024
    /// Below this sum a node scores 0.
    static let minThreshold: Int64 = 23 * mb
    /// Per container; sums above `maxContainerThreshold * containers` score 100.
    static let maxContainerThreshold: Int64 = 1000 * mb

    static let preScoreKey = CycleState.Key<PreScoreState>(.imageLocalityPreScore)

    struct PreScoreState: Sendable {
        /// Normalised image names of the pod's init and regular containers.
        var images: [String]
        /// How many nodes of the snapshot have each image.
        var nodesWithImage: [String: Int]
        var totalNodes: Int
    }

    public init() {}

    public var name: String { PluginNames.imageLocality }

    /// Counts, once per pod, how many nodes hold each image; skips when no feasible node has any.
    public func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: ClusterSnapshot) -> PluginStatus {
        let images = Self.images(of: pod.pod)
        let anyFeasibleNodeHasOne = nodes.contains { node in
            !node.imageSizes.isEmpty && images.contains { node.imageSizes[$0] != nil }
        }
        if !anyFeasibleNodeHasOne { return .skip }
        var counts: [String: Int] = [:]
        for image in Set(images) {
            counts[image] = snapshot.nodes.reduce(0) { $0 + ($1.imageSizes[image] != nil ? 1 : 0) }
        }
        state.write(Self.preScoreKey, PreScoreState(images: images, nodesWithImage: counts, totalNodes: snapshot.nodes.count))
        return .success
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        guard let prepared = state.read(Self.preScoreKey), prepared.totalNodes > 0 else { return 0 }
        var sum: Int64 = 0
        for image in prepared.images {
            guard let size = node.imageSizes[image] else { continue }
            let spread = Double(prepared.nodesWithImage[image] ?? 0) / Double(prepared.totalNodes)
            sum += Int64(Double(size) * spread)
        }
        return Self.priority(sumScores: sum, containers: prepared.images.count)
    }

    /// Upstream `calculatePriority`: the sum clamped to the thresholds, scaled to 0...100.
    static func priority(sumScores: Int64, containers: Int) -> Int64 {
        let maxThreshold = maxContainerThreshold * Int64(containers)
        var clamped = sumScores
        if clamped < minThreshold { clamped = minThreshold } else if clamped > maxThreshold { clamped = maxThreshold }
        return maxNodeScore * (clamped - minThreshold) / (maxThreshold - minThreshold)
    }

    static func images(of pod: CoreV1.Pod) -> [String] {
        ((pod.spec.initContainers ?? []) + pod.spec.containers).map { normalizedImageName($0.image ?? "") }
    }

    /// Upstream `normalizedImageName`: adds `:latest` when the name has no tag.
    static func normalizedImageName(_ name: String) -> String {
        let colon = name.lastIndex(of: ":")
        let slash = name.lastIndex(of: "/")
        switch (colon, slash) {
        case (nil, _): return name + ":latest"
        case let (colon?, slash?) where colon <= slash: return name + ":latest"
        default: return name
        }
    }
}
