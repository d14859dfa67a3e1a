import KubeModel
import Testing
@testable import KubeScheduler

/// Upstream podtopologyspread filtering_test.go (`TestSingleConstraint`) and scoring_test.go.
struct PodTopologySpreadTests {
    static let fooExists = selector(exists: "foo")
    static let nodeA = NodeBuilder("node-a").labels(["zone": "zone1", "node": "node-a"]).node
    static let nodeB = NodeBuilder("node-b").labels(["zone": "zone1", "node": "node-b"]).node
    static let nodeX = NodeBuilder("node-x").labels(["zone": "zone2", "node": "node-x"]).node
    static let nodeY = NodeBuilder("node-y").labels(["zone": "zone2", "node": "node-y"]).node
    static let fourNodes = [nodeA, nodeB, nodeX, nodeY]

    static func pods(_ placement: [(String, Int)], labels: [String: String] = ["foo": ""]) -> [CoreV1.Pod] {
        placement.flatMap { node, count in
            (0..<count).map { PodBuilder("\(node)-\($0)").node(node).labels(labels).pod }
        }
    }

    static let ok = PluginStatus.success
    static let skew = PluginStatus.unschedulable(PodTopologySpread.errReasonConstraintsNotMatch)
    static let noLabel = PluginStatus.unresolvable(PodTopologySpread.errReasonNodeLabelNotMatch)
    static let pod = PodBuilder("p").labels(["foo": ""])

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var pod: PodBuilder
        var nodes: [CoreV1.Node] = PodTopologySpreadTests.fourNodes
        var existing: [CoreV1.Pod]
        var want: [PluginStatus]
    }

    @Test(arguments: [
        Case(testDescription: "no existing pods", pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists),
             existing: [], want: [ok, ok, ok, ok]),
        Case(testDescription: "no existing pods, incoming pod doesn't match itself",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: selector(exists: "bar")), existing: [], want: [ok, ok, ok, ok]),
        Case(testDescription: "existing pods in a different namespace do not count",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists),
             existing: [PodBuilder("a1", namespace: "ns1").node("node-a").labels(["foo": ""]).pod,
                        PodBuilder("b1", namespace: "ns2").node("node-b").labels(["foo": ""]).pod]
                 + pods([("node-x", 1), ("node-y", 1)]),
             want: [ok, ok, skew, skew]),
        Case(testDescription: "pods spread across zones as 3/3, all nodes fit",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists),
             existing: pods([("node-a", 1), ("node-b", 2), ("node-x", 1), ("node-y", 2)]), want: [ok, ok, ok, ok]),
        Case(testDescription: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists),
             nodes: [nodeA, NodeBuilder("node-b").labels(["node": "node-b"]).node, nodeX, nodeY],
             existing: pods([("node-a", 1), ("node-b", 1), ("node-x", 1), ("node-y", 1)]), want: [ok, noLabel, skew, skew]),
        Case(testDescription: "pod cannot be scheduled as all nodes don't have label 'rack'",
             pod: pod.spread(1, "rack", "DoNotSchedule", selector: fooExists), existing: [], want: [noLabel, noLabel, noLabel, noLabel]),
        Case(testDescription: "pods spread across nodes as 2/1/0/3, only node-x fits",
             pod: pod.spread(1, "node", "DoNotSchedule", selector: fooExists),
             existing: pods([("node-a", 2), ("node-b", 1), ("node-y", 3)]), want: [skew, skew, ok, skew]),
        Case(testDescription: "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
             pod: pod.spread(2, "node", "DoNotSchedule", selector: fooExists),
             existing: pods([("node-a", 2), ("node-b", 1), ("node-y", 3)]), want: [skew, ok, ok, skew]),
        Case(testDescription: "zones as 2/1: node-x fits",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists),
             existing: pods([("node-a", 2), ("node-x", 1)]), want: [skew, skew, ok, ok]),
        Case(testDescription: "zones as 2/1 with minDomains 3: fewer domains than minDomains, the minimum is 0",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists, minDomains: 3),
             existing: pods([("node-a", 2), ("node-x", 1)]), want: [skew, skew, skew, skew]),
        Case(testDescription: "nodeAffinityPolicy Honor (default): nodes the pod can't land on don't count",
             pod: pod.nodeSelector(["zone": "zone1"]).spread(1, "zone", "DoNotSchedule", selector: fooExists),
             existing: pods([("node-a", 1)]), want: [ok, ok, ok, ok]),
        Case(testDescription: "nodeAffinityPolicy Ignore: every node counts",
             pod: pod.nodeSelector(["zone": "zone1"]).spread(1, "zone", "DoNotSchedule", selector: fooExists, nodeAffinityPolicy: "Ignore"),
             existing: pods([("node-a", 1)]), want: [skew, skew, ok, ok]),
        Case(testDescription: "nodeTaintsPolicy Honor: tainted nodes don't count",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists, nodeTaintsPolicy: "Honor"),
             nodes: [nodeA, NodeBuilder("node-x").labels(["zone": "zone2"]).taints([CoreV1.Taint(effect: "NoSchedule", key: "k")]).node],
             existing: pods([("node-a", 1)]), want: [ok, ok]),
        Case(testDescription: "nodeTaintsPolicy Ignore (default): tainted nodes count",
             pod: pod.spread(1, "zone", "DoNotSchedule", selector: fooExists),
             nodes: [nodeA, NodeBuilder("node-x").labels(["zone": "zone2"]).taints([CoreV1.Taint(effect: "NoSchedule", key: "k")]).node],
             existing: pods([("node-a", 1)]), want: [skew, ok]),
        Case(testDescription: "matchLabelKeys narrows the selector to pods with the same values",
             pod: pod.labels(["foo": "", "rev": "a"]).spread(1, "zone", "DoNotSchedule", selector: fooExists, matchLabelKeys: ["rev"]),
             nodes: [nodeA, nodeX], existing: pods([("node-a", 2)], labels: ["foo": "", "rev": "b"]), want: [ok, ok]),
        Case(testDescription: "without matchLabelKeys every matching pod counts",
             pod: pod.labels(["foo": "", "rev": "a"]).spread(1, "zone", "DoNotSchedule", selector: fooExists),
             nodes: [nodeA, nodeX], existing: pods([("node-a", 2)], labels: ["foo": "", "rev": "b"]), want: [skew, ok]),
    ])
    func filter(_ test: Case) {
        #expect(runFilter(PodTopologySpread(), pod: test.pod.pod, snapshot: snapshot(test.nodes, pods: test.existing)) == test.want)
    }

    @Test func preFilterSkipsPodsWithoutHardConstraints() {
        let pod = Self.pod.spread(1, "zone", "ScheduleAnyway", selector: Self.fooExists).info
        #expect(PodTopologySpread().preFilter(CycleState(), pod: pod, snapshot: snapshot(Self.fourNodes)) == .skip)
    }

    /// A preemption what-if removing pods from node-a lets the pod fit there.
    @Test func removePodUpdatesCounts() {
        let existing = Self.pods([("node-a", 2)])
        let snap = snapshot([Self.nodeA, Self.nodeX], pods: existing)
        let pod = Self.pod.spread(1, "zone", "DoNotSchedule", selector: Self.fooExists).info
        let plugin = PodTopologySpread()
        let state = CycleState()
        #expect(plugin.preFilter(state, pod: pod, snapshot: snap) == .success)
        #expect(plugin.filter(state, pod: pod, node: snap.nodes[0]) == Self.skew)
        var node = snap.nodes[0]
        for victim in existing.map(PodInfo.init) {
            node.remove(key: victim.key)
            #expect(plugin.removePod(state, pod: pod, removing: victim, from: node) == .success)
        }
        #expect(plugin.filter(state, pod: pod, node: node) == .success)
    }

    struct ScoreCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var nodes: [CoreV1.Node]
        var existing: [CoreV1.Pod]
        var want: [Int64]
    }

    static func hostNode(_ name: String) -> CoreV1.Node {
        NodeBuilder(name).labels(["kubernetes.io/hostname": name, "zone": name < "node-c" ? "zone1" : "zone2"]).node
    }

    @Test(arguments: [
        ScoreCase(testDescription: "one constraint on node, no existing pods",
                  nodes: [hostNode("node-a"), hostNode("node-b")], existing: [], want: [100, 100]),
        ScoreCase(testDescription: "one constraint on node, all nodes have the same number of matching pods",
                  nodes: [hostNode("node-a"), hostNode("node-b")], existing: pods([("node-a", 1), ("node-b", 1)]), want: [100, 100]),
        ScoreCase(testDescription: "one constraint on node, all 4 nodes are candidates",
                  nodes: [hostNode("node-a"), hostNode("node-b"), hostNode("node-c"), hostNode("node-d")],
                  existing: pods([("node-a", 2), ("node-b", 1), ("node-d", 3)]), want: [20, 60, 100, 0]),
        ScoreCase(testDescription: "nodes without the topology key score 0",
                  nodes: [hostNode("node-a"), NodeBuilder("node-b").node], existing: pods([("node-a", 1)]), want: [100, 0]),
    ])
    func score(_ test: ScoreCase) {
        let pod = Self.pod.spread(1, "kubernetes.io/hostname", "ScheduleAnyway", selector: Self.fooExists).pod
        #expect(runScore(PodTopologySpread(), pod: pod, snapshot: snapshot(test.nodes, pods: test.existing)) == test.want)
    }

    /// Zone constraint: zone1 has 3 matching pods, zone2 has 1; zone2's nodes score higher.
    @Test func zoneScore() {
        let nodes = ["node-a", "node-b", "node-c", "node-d"].map(Self.hostNode)
        let pod = Self.pod.spread(1, "zone", "ScheduleAnyway", selector: Self.fooExists).pod
        let scores = runScore(PodTopologySpread(), pod: pod, snapshot: snapshot(nodes, pods: Self.pods([("node-a", 2), ("node-b", 1), ("node-c", 1)])))
        // weight log(2+2) = 1.386: zone1 3 → 4, zone2 1 → 1; normalised 100*(4+1-s)/4.
        #expect(scores == [25, 25, 100, 100])
    }
}
