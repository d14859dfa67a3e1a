/// One scheduler profile: the `schedulerName` it serves and its plugins per extension point
/// (upstream's `KubeSchedulerProfile`). Score plugins carry weights.
public struct SchedulerProfile: Sendable {
    public var schedulerName: String
    public var preFilter: [any PreFilterPlugin]
    public var filter: [any FilterPlugin]
    public var postFilter: [any PostFilterPlugin]
    public var preScore: [any PreScorePlugin]
    public var score: [WeightedScorePlugin]
    public var reserve: [any ReservePlugin]
    public var preBind: [any PreBindPlugin]
    /// Percentage of nodes to find feasible before scoring (0: upstream's adaptive default).
    public var percentageOfNodesToScore: Int

    public init(schedulerName: String, preFilter: [any PreFilterPlugin] = [], filter: [any FilterPlugin] = [],
                postFilter: [any PostFilterPlugin] = [], preScore: [any PreScorePlugin] = [],
                score: [WeightedScorePlugin] = [], reserve: [any ReservePlugin] = [], preBind: [any PreBindPlugin] = [],
                percentageOfNodesToScore: Int = 0) {
        self.schedulerName = schedulerName
        self.preFilter = preFilter
        self.filter = filter
        self.postFilter = postFilter
        self.preScore = preScore
        self.score = score
        self.reserve = reserve
        self.preBind = preBind
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }
}

public struct WeightedScorePlugin: Sendable {
    public var plugin: any ScorePlugin
    public var weight: Int64

    public init(_ plugin: any ScorePlugin, weight: Int64) {
        self.plugin = plugin
        self.weight = weight
    }
}
