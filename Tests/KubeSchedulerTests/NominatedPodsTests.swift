import KubeModel
import Testing
@testable import KubeScheduler

/// Pods nominated to a node after preemption keep their room (upstream's
/// `RunFilterPluginsWithNominatedPods`, `addGENominatedPods`, `evaluateNominatedNode`).
struct NominatedPodsTests {
    static let framework = SchedulingFramework(profile: .default())

    static func node(_ name: String, cpu: Quantity = "1") -> CoreV1.Node {
        NodeBuilder(name).allocatable(["cpu": cpu, "memory": "4Gi", "pods": "110"])
            .label("kubernetes.io/hostname", name).node
    }

    static func schedule(_ pod: PodBuilder, nodes: [CoreV1.Node], nominator: Nominator) -> Result<ScheduleResult, FitError> {
        var start = 0
        var random = SplitMix64(seed: 1)
        return framework.schedule(pod.info, snapshot: snapshot(nodes), state: CycleState(), startIndex: &start,
                                  random: &random, nominator: nominator)
    }

    /// A preemptor of priority 100 nominated to n1, which it fills.
    static var nominatorWithPreemptor: Nominator {
        var nominator = Nominator()
        let preemptor = PodBuilder("preemptor").priority(100).container(["cpu": "1"]).with { $0.status.nominatedNodeName = "n1" }
        nominator.nominate(preemptor.info, to: "n1")
        return nominator
    }

    @Test(arguments: [
        // (incoming priority, fits on n1): lower and equal priorities leave the room alone,
        // a higher one does not see the nomination.
        (Int32(10), false), (Int32(100), false), (Int32(200), true),
    ])
    func podsOfLowerOrEqualPriorityLeaveTheRoomOfANominatedPod(priority: Int32, fits: Bool) {
        let pod = PodBuilder("incoming").priority(priority).container(["cpu": "500m"])
        let result = Self.schedule(pod, nodes: [Self.node("n1")], nominator: Self.nominatorWithPreemptor)
        switch result {
        case .success(let chosen):
            #expect(fits && chosen.nodeName == "n1")
        case .failure(let error):
            #expect(!fits)
            #expect(error.description == "0/1 nodes are available: 1 Insufficient cpu.")
        }
    }

    @Test func theNominatedPodItselfIsNotInItsOwnWay() throws {
        let preemptor = PodBuilder("preemptor").priority(100).container(["cpu": "1"]).with { $0.status.nominatedNodeName = "n1" }
        let chosen = try Self.schedule(preemptor, nodes: [Self.node("n1")], nominator: Self.nominatorWithPreemptor).get()
        #expect(chosen.nodeName == "n1")
    }

    @Test func aNominatedPodTriesItsNodeFirstAndAlone() throws {
        // Every node fits; without the nomination the search would start at n1.
        let pod = PodBuilder("preemptor").priority(100).container(["cpu": "100m"]).with { $0.status.nominatedNodeName = "n3" }
        let chosen = try Self.schedule(pod, nodes: ["n1", "n2", "n3"].map { Self.node($0) }, nominator: Nominator()).get()
        #expect(chosen.nodeName == "n3" && chosen.evaluatedNodes == 1 && chosen.feasibleNodes == 1)
        // A nominated node that no longer fits: the usual search.
        let big = PodBuilder("preemptor").priority(100).container(["cpu": "2"]).with { $0.status.nominatedNodeName = "n3" }
        let elsewhere = try Self.schedule(big, nodes: [Self.node("n1", cpu: "4"), Self.node("n3")], nominator: Nominator()).get()
        #expect(elsewhere.nodeName == "n1")
    }

    @Test func affinityToANominatedPodThatIsNotThereYetDoesNotCount() {
        // The first pass (with the nominated pod) passes pod affinity; the second (without)
        // does not, and the second decides.
        var nominator = Nominator()
        nominator.nominate(PodBuilder("web").priority(100).labels(["app": "web"]).info, to: "n1")
        let follower = PodBuilder("follower").priority(10)
            .podAffinity(required: [affinityTerm(selector(["app": "web"]), "kubernetes.io/hostname")])
        guard case .failure = Self.schedule(follower, nodes: [Self.node("n1", cpu: "4")], nominator: nominator) else {
            Issue.record("expected the follower to stay pending")
            return
        }
    }

    @Test func nominationsFollowTheirPods() {
        var nominator = Nominator()
        let a = PodBuilder("a").priority(5).info
        nominator.nominate(a, to: "n1")
        nominator.nominate(a, to: "n2")
        #expect(nominator.node(of: a.key) == "n2")
        #expect(nominator.podsToRespect(on: "n1", by: PodBuilder("b").info).isEmpty)
        #expect(nominator.podsToRespect(on: "n2", by: PodBuilder("b").info).map(\.key) == [a.key])
        nominator.nominate(a, to: "")
        #expect(nominator.isEmpty && nominator.node(of: a.key) == nil)
        nominator.nominate(a, to: "n1")
        nominator.remove(key: a.key)
        #expect(nominator.isEmpty)
    }
}
