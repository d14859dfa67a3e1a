import KubeModel
import Testing
@testable import KubeScheduler

@Suite struct SchedulingFrameworkTests {
    /// Upstream's `TestNumFeasibleNodesToFind` cases.
    @Test(arguments: [
        (10, 0, 10), (10, 40, 10), (1000, 0, 420), (1000, 40, 400), (1000, 70, 700),
        (6000, 0, 300), (6000, 40, 2400), (5000, 0, 500), (150, 0, 100),
    ])
    func feasibleNodesToFind(nodes: Int, percentage: Int, expected: Int) {
        #expect(SchedulingFramework.feasibleNodesToFind(nodeCount: nodes, percentage: percentage) == expected)
    }

    @Test func fitErrorMessagesCountReasonsPerNodeAndSortThem() {
        let error = FitError(podKey: "default/p", nodeCount: 3, nodeStatuses: [
            "a": .unschedulable("Insufficient cpu", "Insufficient memory"),
            "b": .unschedulable("Insufficient cpu"),
            "c": .unresolvable("node(s) had untolerated taint {dedicated: infra}"),
        ])
        #expect(error.description
            == "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu.")
        var withPreemption = error
        withPreemption.postFilterMessage = "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
        #expect(withPreemption.description.hasSuffix(
            "2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."))
        let preFilter = FitError(podKey: "default/p", nodeCount: 2, preFilterMessage: "persistentvolumeclaim \"data\" not found")
        #expect(preFilter.description == "0/2 nodes are available: persistentvolumeclaim \"data\" not found.")
    }

    struct RejectNamed: FilterPlugin {
        let name = "RejectNamed"
        let rejected: Set<String>
        func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
            rejected.contains(node.name) ? .unschedulable("rejected \(node.name)") : .success
        }
    }

    struct PreferNamed: ScorePlugin {
        let name = "PreferNamed"
        let scores: [String: Int64]
        func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 { scores[node.name] ?? 0 }
        func normalize(_ state: CycleState, pod: PodInfo, scores: inout [Int64]) {
            scores.normalizeToMaxScore(reverse: false)
        }
    }

    static func snapshot(_ names: [String]) -> ClusterSnapshot {
        ClusterSnapshot(nodes: names.map { name in
            var node = CoreV1.Node()
            node.metadata.name = name
            return NodeInfo(node: node)
        })
    }

    @Test func picksTheBestScoringFeasibleNode() throws {
        let framework = SchedulingFramework(profile: SchedulerProfile(
            schedulerName: "test", filter: [RejectNamed(rejected: ["a"])],
            score: [WeightedScorePlugin(PreferNamed(scores: ["a": 100, "b": 10, "c": 30]), weight: 2)]))
        var start = 0
        var random = SystemRandomNumberGenerator()
        let result = framework.schedule(
            PodInfo(CoreV1.Pod()), snapshot: Self.snapshot(["a", "b", "c"]), state: CycleState(),
            startIndex: &start, random: &random)
        let chosen = try result.get()
        #expect(chosen.nodeName == "c")
        #expect(chosen.evaluatedNodes == 3 && chosen.feasibleNodes == 2)
    }

    @Test func reportsEveryRejectionWhenNothingFits() {
        let framework = SchedulingFramework(profile: SchedulerProfile(
            schedulerName: "test", filter: [RejectNamed(rejected: ["a", "b"])]))
        var start = 1
        var random = SystemRandomNumberGenerator()
        let result = framework.schedule(
            PodInfo(CoreV1.Pod()), snapshot: Self.snapshot(["a", "b"]), state: CycleState(),
            startIndex: &start, random: &random)
        guard case .failure(let error) = result else {
            Issue.record("expected a fit error")
            return
        }
        #expect(error.description == "0/2 nodes are available: 1 rejected a, 1 rejected b.")
        #expect(error.unschedulablePlugins == ["RejectNamed"])
    }

    @Test func theSearchStartMovesRoundTheCluster() throws {
        // Below 100 nodes every node is examined, so the start comes back to where it was.
        let framework = SchedulingFramework(profile: SchedulerProfile(schedulerName: "test"))
        var start = 2
        var random = SystemRandomNumberGenerator()
        _ = try framework.schedule(
            PodInfo(CoreV1.Pod()), snapshot: Self.snapshot(["a", "b", "c"]), state: CycleState(),
            startIndex: &start, random: &random).get()
        #expect(start == 2)
    }
}
