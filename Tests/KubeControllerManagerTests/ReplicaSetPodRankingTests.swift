import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream controller_utils_test.go `TestSortingActivePodsWithRanks`.
@Suite struct ReplicaSetPodRankingTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let oneMonthAgo = now.addingTimeInterval(-30 * 86_400)
    static let twoHoursAgo = now.addingTimeInterval(-2 * 3600)
    static let fiveHoursAgo = now.addingTimeInterval(-5 * 3600)
    static let eightHoursAgo = now.addingTimeInterval(-8 * 3600)

    static func pod(_ name: String, node: String, phase: String, ready: Bool, restarts: Int32 = 0,
                    readySince: Date? = nil, created: Date? = nil, cost: String? = nil) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.creationTimestamp = created.map(MetaV1.Time.init)
        if let cost { pod.metadata.annotations = [PodDeletionRanking.deletionCostAnnotation: cost] }
        pod.spec.nodeName = node.isEmpty ? nil : node
        pod.status.phase = phase
        pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: readySince.map(MetaV1.Time.init),
                                                     status: ready ? "True" : "False", type: "Ready")]
        pod.status.containerStatuses = [CoreV1.ContainerStatus(image: "app:1", imageID: "", name: "c", ready: ready, restartCount: restarts)]
        return pod
    }

    static let unscheduled = pod("unscheduled", node: "", phase: "Pending", ready: false)
    static let scheduledPending = pod("pending", node: "node", phase: "Pending", ready: false)
    static let unknownPhase = pod("unknown-phase", node: "node", phase: "Unknown", ready: false)
    static let runningNotReady = pod("not-ready", node: "node", phase: "Running", ready: false)
    static let readyNoTransitionTime = pod("ready-no-last-transition-time", node: "node", phase: "Running", ready: true)
    static let readyNow = pod("ready-now", node: "node", phase: "Running", ready: true, readySince: now, created: now)
    static let readyThen = pod("ready-then", node: "node", phase: "Running", ready: true, readySince: oneMonthAgo, created: oneMonthAgo)
    static let readyNowHighRestarts = pod("ready-high-restarts", node: "node", phase: "Running", ready: true, restarts: 10,
                                          readySince: now, created: now)
    static let readyNowCreatedThen = pod("ready-now-created-then", node: "node", phase: "Running", ready: true,
                                         readySince: now, created: oneMonthAgo)
    static let lowDeletionCost = pod("low-deletion-cost", node: "node", phase: "Running", ready: true,
                                     readySince: now, created: oneMonthAgo, cost: "10")
    static let highDeletionCost = pod("high-deletion-cost", node: "node", phase: "Running", ready: true,
                                      readySince: now, created: oneMonthAgo, cost: "100")
    static let unscheduled5Hours = pod("unscheduled-5-hours", node: "", phase: "Pending", ready: false,
                                       readySince: fiveHoursAgo, created: fiveHoursAgo)
    static let unscheduled8Hours = pod("unscheduled-10-hours", node: "", phase: "Pending", ready: false,
                                       readySince: eightHoursAgo, created: eightHoursAgo)
    static let ready2Hours = pod("ready-2-hours", node: "", phase: "Running", ready: true, readySince: twoHoursAgo, created: oneMonthAgo)
    static let ready5Hours = pod("ready-5-hours", node: "", phase: "Running", ready: true, readySince: fiveHoursAgo, created: oneMonthAgo)
    static let ready10Hours = pod("ready-10-hours", node: "", phase: "Running", ready: true, readySince: eightHoursAgo, created: oneMonthAgo)

    struct Pair: Sendable, CustomTestStringConvertible {
        var lesser: CoreV1.Pod
        var lesserRank: Int
        var greater: CoreV1.Pod
        var greaterRank: Int
        var logarithmic = true
        var testDescription: String { "\(lesser.metadata.name ?? "")/\(lesserRank) < \(greater.metadata.name ?? "")/\(greaterRank)" }
    }

    static let inequalities: [Pair] = [
        Pair(lesser: unscheduled, lesserRank: 1, greater: scheduledPending, greaterRank: 2),
        Pair(lesser: unscheduled, lesserRank: 2, greater: scheduledPending, greaterRank: 1),
        Pair(lesser: scheduledPending, lesserRank: 1, greater: unknownPhase, greaterRank: 2),
        Pair(lesser: unknownPhase, lesserRank: 1, greater: runningNotReady, greaterRank: 2),
        Pair(lesser: runningNotReady, lesserRank: 1, greater: readyNoTransitionTime, greaterRank: 1),
        Pair(lesser: readyNoTransitionTime, lesserRank: 1, greater: readyNow, greaterRank: 1),
        Pair(lesser: readyNow, lesserRank: 2, greater: readyNoTransitionTime, greaterRank: 1),
        Pair(lesser: readyNow, lesserRank: 1, greater: readyThen, greaterRank: 1),
        Pair(lesser: readyNow, lesserRank: 2, greater: readyThen, greaterRank: 1),
        Pair(lesser: readyNowHighRestarts, lesserRank: 1, greater: readyNow, greaterRank: 1),
        Pair(lesser: readyNow, lesserRank: 2, greater: readyNowHighRestarts, greaterRank: 1),
        Pair(lesser: readyNow, lesserRank: 1, greater: readyNowCreatedThen, greaterRank: 1),
        Pair(lesser: readyNowCreatedThen, lesserRank: 2, greater: readyNow, greaterRank: 1),
        Pair(lesser: lowDeletionCost, lesserRank: 2, greater: highDeletionCost, greaterRank: 1),
        Pair(lesser: ready2Hours, lesserRank: 1, greater: ready5Hours, greaterRank: 1),
        Pair(lesser: ready5Hours, lesserRank: 1, greater: ready10Hours, greaterRank: 1, logarithmic: false),
    ]

    @Test(arguments: inequalities)
    func lesserPodIsDeletedFirst(_ pair: Pair) {
        let ranking = PodDeletionRanking(now: pair.logarithmic ? Self.now : nil)
        #expect(ranking.precedes(pair.lesser, pair.lesserRank, pair.greater, pair.greaterRank))
        #expect(!ranking.precedes(pair.greater, pair.greaterRank, pair.lesser, pair.lesserRank))
    }

    static let equalities: [(CoreV1.Pod, CoreV1.Pod)] = [
        (unscheduled, unscheduled), (scheduledPending, scheduledPending), (unknownPhase, unknownPhase),
        (runningNotReady, runningNotReady), (readyNowCreatedThen, readyNowCreatedThen), (readyNow, readyNow),
        (readyThen, readyThen), (readyNowHighRestarts, readyNowHighRestarts),
        (unscheduled5Hours, unscheduled8Hours), (ready5Hours, ready10Hours),
    ]

    @Test(arguments: 0..<equalities.count)
    func equalPodsAreNotOrdered(_ index: Int) {
        let (first, second) = Self.equalities[index]
        let ranking = PodDeletionRanking(now: Self.now)
        #expect(!ranking.precedes(first, 0, second, 0))
        #expect(!ranking.precedes(second, 0, first, 0))
    }

    /// upstream replica_set_test.go `TestGetPodsToDelete`-style: co-located pods go first.
    @Test func podsToDeletePrefersNodesWithMoreRelatedPods() {
        var a = Self.pod("a", node: "n1", phase: "Running", ready: true, readySince: Self.oneMonthAgo, created: Self.oneMonthAgo)
        a.metadata.uid = "a"
        var b = Self.pod("b", node: "n2", phase: "Running", ready: true, readySince: Self.oneMonthAgo, created: Self.oneMonthAgo)
        b.metadata.uid = "b"
        var c = Self.pod("c", node: "n2", phase: "Running", ready: true, readySince: Self.oneMonthAgo, created: Self.oneMonthAgo)
        c.metadata.uid = "c"
        let ranking = PodDeletionRanking(now: Self.now)
        let chosen = ranking.podsToDelete([a, b, c], related: [a, b, c], count: 1)
        #expect(chosen.map(\.metadata.name) == ["b"])
        #expect(ranking.podsToDelete([a, b, c], related: [a, b, c], count: 3).count == 3)
        let notReady = Self.pod("d", node: "n1", phase: "Running", ready: false)
        #expect(ranking.podsToDelete([a, b, notReady], related: [a, b, notReady], count: 1).map(\.metadata.name) == ["d"])
    }
}
