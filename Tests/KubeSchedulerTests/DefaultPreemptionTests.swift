import KubeModel
import Testing
@testable import KubeScheduler

/// Upstream default_preemption_test.go (`TestSelectNodesForPreemption`,
/// `TestPickOneNodeForPreemption`, `TestPodEligibleToPreemptOthers`), with resources only.
struct DefaultPreemptionTests {
    static let framework = SchedulingFramework(profile: .default())

    static func node(_ name: String, cpu: String = "4000m") -> CoreV1.Node {
        NodeBuilder(name).labels(["kubernetes.io/hostname": name]).allocatable(["cpu": Quantity(stringLiteral: cpu), "memory": "4Gi", "pods": "110"]).node
    }

    static func pod(_ name: String, on node: String? = nil, priority: Int32, cpu: Int64, start: Int64 = 0) -> CoreV1.Pod {
        var builder = PodBuilder(name).priority(priority).container(["cpu": Quantity(milli: cpu)]).startTime(start)
        if let node { builder = builder.node(node) }
        return builder.pod
    }

    /// Runs PreFilter and the filters like a failed cycle, then PostFilter.
    static func preempt(_ incoming: CoreV1.Pod, nodes: [CoreV1.Node], pods: [CoreV1.Pod],
                        budgets: [PolicyV1.PodDisruptionBudget] = []) -> PostFilterResult {
        var snap = snapshot(nodes, pods: pods)
        snap.disruptionBudgets = budgets
        let info = PodInfo(incoming)
        let state = CycleState()
        #expect(framework.runPreFilter(state, pod: info, snapshot: snap).isSuccess)
        var filtered: [String: PluginStatus] = [:]
        for node in snap.nodes { filtered[node.name] = framework.runFilters(state, pod: info, node: node) }
        return DefaultPreemption().postFilter(state, pod: info, snapshot: snap, filtered: filtered, framework: framework)
    }

    @Test func preemptionPolicyNever() {
        let incoming = PodBuilder("p").priority(100).container(["cpu": "1"]).with { $0.spec.preemptionPolicy = "Never" }.pod
        let result = Self.preempt(incoming, nodes: [Self.node("n1")], pods: [Self.pod("low", on: "n1", priority: 1, cpu: 4000)])
        #expect(result.nominatedNodeName == nil)
        #expect(result.status == .unschedulable("preemption: not eligible due to preemptionPolicy=Never."))
    }

    struct VictimCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var incomingCPU: Int64
        var existing: [CoreV1.Pod]
        var wantVictims: [String]
    }

    @Test(arguments: [
        VictimCase(testDescription: "only the lowest-priority pod goes when that is enough", incomingCPU: 2000,
                   existing: [pod("p10", on: "n1", priority: 10, cpu: 1000), pod("p5", on: "n1", priority: 5, cpu: 1000),
                              pod("p1", on: "n1", priority: 1, cpu: 2000)],
                   wantVictims: ["p1"]),
        VictimCase(testDescription: "higher-priority pods are reprieved first", incomingCPU: 3000,
                   existing: [pod("p10", on: "n1", priority: 10, cpu: 1000), pod("p5", on: "n1", priority: 5, cpu: 1000),
                              pod("p1", on: "n1", priority: 1, cpu: 2000)],
                   wantVictims: ["p5", "p1"]),
        VictimCase(testDescription: "pods with equal or higher priority are never victims", incomingCPU: 2000,
                   existing: [pod("p100", on: "n1", priority: 100, cpu: 2000), pod("p1", on: "n1", priority: 1, cpu: 2000)],
                   wantVictims: ["p1"]),
        VictimCase(testDescription: "among equal priorities the earlier-started pod is reprieved", incomingCPU: 2000,
                   existing: [pod("late", on: "n1", priority: 1, cpu: 2000, start: 200), pod("early", on: "n1", priority: 1, cpu: 2000, start: 100)],
                   wantVictims: ["late"]),
    ])
    func victims(_ test: VictimCase) {
        let incoming = Self.pod("incoming", priority: 100, cpu: test.incomingCPU)
        let result = Self.preempt(incoming, nodes: [Self.node("n1")], pods: test.existing)
        #expect(result.status == .success)
        #expect(result.nominatedNodeName == "n1")
        #expect(result.victims.map(\.name) == test.wantVictims)
    }

    @Test func noLowerPriorityPods() {
        let result = Self.preempt(Self.pod("incoming", priority: 100, cpu: 2000), nodes: [Self.node("n1")],
                                  pods: [Self.pod("high", on: "n1", priority: 200, cpu: 4000)])
        #expect(result.nominatedNodeName == "")
        #expect(result.status == .unschedulable("preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."))
    }

    @Test func unresolvableNodesAreNotCandidates() {
        // n2 is too small for the pod whatever is evicted; n1 has a victim.
        let result = Self.preempt(Self.pod("incoming", priority: 100, cpu: 3000), nodes: [Self.node("n1"), Self.node("n2", cpu: "2000m")],
                                  pods: [Self.pod("a", on: "n1", priority: 1, cpu: 2000), Self.pod("b", on: "n2", priority: 1, cpu: 2000)])
        #expect(result.nominatedNodeName == "n1")
        #expect(result.victims.map(\.name) == ["a"])
    }

    @Test func nothingHelps() {
        let result = Self.preempt(Self.pod("incoming", priority: 100, cpu: 8000), nodes: [Self.node("n1"), Self.node("n2")], pods: [])
        #expect(result.status == .unschedulable("preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."))
    }

    struct PickCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var existing: [CoreV1.Pod]
        var want: String
    }

    @Test(arguments: [
        PickCase(testDescription: "a node with lower priority victims is picked",
                 existing: [pod("a", on: "n1", priority: 10, cpu: 4000), pod("b", on: "n2", priority: 5, cpu: 4000)], want: "n2"),
        PickCase(testDescription: "a node with the smallest sum of victim priorities is picked",
                 existing: [pod("a1", on: "n1", priority: 5, cpu: 2000), pod("a2", on: "n1", priority: 5, cpu: 2000),
                            pod("b1", on: "n2", priority: 5, cpu: 4000)], want: "n2"),
        PickCase(testDescription: "a node whose highest-priority victims started latest is picked",
                 existing: [pod("a", on: "n1", priority: 5, cpu: 4000, start: 100), pod("b", on: "n2", priority: 5, cpu: 4000, start: 200)],
                 want: "n2"),
        PickCase(testDescription: "ties go to the first candidate",
                 existing: [pod("a", on: "n1", priority: 5, cpu: 4000, start: 100), pod("b", on: "n2", priority: 5, cpu: 4000, start: 100)],
                 want: "n1"),
    ])
    func pickOneNode(_ test: PickCase) {
        let nodes = Set(test.existing.compactMap(\.spec.nodeName)).sorted().map { Self.node($0) }
        let result = Self.preempt(Self.pod("incoming", priority: 100, cpu: 3000), nodes: nodes, pods: test.existing)
        #expect(result.nominatedNodeName == test.want)
    }

    static func budget(_ name: String, namespace: String = "default", selecting labels: [String: String]?,
                       allowed: Int32, disrupted: [String] = []) -> PolicyV1.PodDisruptionBudget {
        var budget = PolicyV1.PodDisruptionBudget(metadata: MetaV1.ObjectMeta(name: name, namespace: namespace))
        budget.spec.selector = labels.map { MetaV1.LabelSelector(matchLabels: $0) }
        budget.status.disruptionsAllowed = allowed
        if !disrupted.isEmpty {
            budget.status.disruptedPods = Dictionary(uniqueKeysWithValues: disrupted.map { ($0, MetaV1.Time(secondsSinceEpoch: 0)) })
        }
        return budget
    }

    static func labelled(_ pod: CoreV1.Pod, _ labels: [String: String]) -> CoreV1.Pod {
        var pod = pod
        pod.metadata.labels = labels
        return pod
    }

    /// Upstream's `filterPodsWithPDBViolation` cases: each selected pod takes one disruption;
    /// pods past the budget break it.
    @Test func podsPastABudgetBreakIt() {
        let pods = [
            Self.labelled(Self.pod("a1", priority: 1, cpu: 1), ["app": "a"]),
            Self.labelled(Self.pod("a2", priority: 1, cpu: 1), ["app": "a"]),
            Self.labelled(Self.pod("b1", priority: 1, cpu: 1), ["app": "b"]),
            Self.pod("bare", priority: 1, cpu: 1),
        ].map(PodInfo.init)
        let budgets = [
            Self.budget("a", selecting: ["app": "a"], allowed: 1),
            Self.budget("b-elsewhere", namespace: "other", selecting: ["app": "b"], allowed: 0),
            Self.budget("everything", selecting: [:], allowed: 0),  // an empty selector selects nothing
            Self.budget("none", selecting: nil, allowed: 0),
        ]
        let (violating, nonViolating) = DefaultPreemption.splitByDisruptionBudgets(pods, budgets: budgets)
        #expect(violating.map(\.name) == ["a2"])
        #expect(nonViolating.map(\.name) == ["a1", "b1", "bare"])
        // A pod the budget lists as disrupted already takes nothing from it.
        let counted = DefaultPreemption.splitByDisruptionBudgets(
            pods, budgets: [Self.budget("a", selecting: ["app": "a"], allowed: 0, disrupted: ["a1"])])
        #expect(counted.violating.map(\.name) == ["a2"])
    }

    @Test func theNodeWithFewerBudgetViolationsIsPicked() {
        // n1's pod has lower priority (upstream would pick it without budgets) but is protected.
        let existing = [Self.labelled(Self.pod("guarded", on: "n1", priority: 1, cpu: 4000), ["app": "db"]),
                        Self.pod("plain", on: "n2", priority: 5, cpu: 4000)]
        let budgets = [Self.budget("db", selecting: ["app": "db"], allowed: 0)]
        let incoming = Self.pod("incoming", priority: 100, cpu: 3000)
        #expect(Self.preempt(incoming, nodes: [Self.node("n1"), Self.node("n2")], pods: existing).nominatedNodeName == "n1")
        let result = Self.preempt(incoming, nodes: [Self.node("n1"), Self.node("n2")], pods: existing, budgets: budgets)
        #expect(result.nominatedNodeName == "n2" && result.victims.map(\.name) == ["plain"])
    }

    @Test func podsThatWouldBreakABudgetAreReprievedFirst() {
        // Either pod alone makes room; the one its budget protects is kept, though it has the
        // lower priority (without the budget it would be the victim).
        let existing = [Self.labelled(Self.pod("guarded", on: "n1", priority: 1, cpu: 2000), ["app": "db"]),
                        Self.pod("plain", on: "n1", priority: 5, cpu: 2000)]
        let incoming = Self.pod("incoming", priority: 100, cpu: 2000)
        #expect(Self.preempt(incoming, nodes: [Self.node("n1")], pods: existing).victims.map(\.name) == ["guarded"])
        let result = Self.preempt(incoming, nodes: [Self.node("n1")], pods: existing,
                                  budgets: [Self.budget("db", selecting: ["app": "db"], allowed: 0)])
        #expect(result.victims.map(\.name) == ["plain"])
    }
}

extension DefaultPreemptionTests {
    /// upstream `SelectVictimsOnNode` runs the filters with the nominated pods: a pod of equal
    /// priority nominated to n1 keeps its 2 CPUs there, so the preemptor (3 CPUs) cannot count
    /// on n1's room and preempts on n2 instead.
    @Test func theVictimSearchLeavesRoomForNominatedPods() {
        let nodes = [Self.node("n1"), Self.node("n2")]
        let pods = [Self.pod("low1", on: "n1", priority: 1, cpu: 1000), Self.pod("big", on: "n1", priority: 200, cpu: 1500),
                    Self.pod("low2", on: "n2", priority: 1, cpu: 2000), Self.pod("mid", on: "n2", priority: 200, cpu: 1000)]
        let incoming = Self.pod("p", priority: 100, cpu: 2500)
        #expect(Self.preempt(incoming, nodes: nodes, pods: pods).nominatedNodeName == "n1")

        var nominator = Nominator()
        nominator.nominate(PodInfo(Self.pod("waiting", priority: 100, cpu: 1000)), to: "n1")
        var snap = snapshot(nodes, pods: pods)
        snap.nominator = nominator
        let info = PodInfo(incoming)
        let state = CycleState()
        #expect(Self.framework.runPreFilter(state, pod: info, snapshot: snap).isSuccess)
        var filtered: [String: PluginStatus] = [:]
        for node in snap.nodes { filtered[node.name] = Self.framework.runFilters(state, pod: info, node: node) }
        let result = DefaultPreemption().postFilter(state, pod: info, snapshot: snap, filtered: filtered, framework: Self.framework)
        #expect(result.nominatedNodeName == "n2")
        #expect(result.victims.map(\.name) == ["low2"])
    }
}
