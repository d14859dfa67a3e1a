import KubeModel
import Testing
@testable import KubeScheduler

/// Upstream interpodaffinity filtering_test.go (`TestRequiredAffinitySingleNode`) and
/// scoring_test.go (`TestPreferredAffinity`).
struct InterPodAffinityTests {
    static let region = "region", zone = "zone"
    static let nodeLabels = ["region": "r1", "zone": "z11"]
    static let securityScan = ["service": "securityscan"]
    static func inSel(_ key: String, _ values: [String]) -> MetaV1.LabelSelector {
        MetaV1.LabelSelector(matchExpressions: [MetaV1.LabelSelectorRequirement(key: key, operator: "In", values: values)])
    }
    static func notInSel(_ key: String, _ values: [String]) -> MetaV1.LabelSelector {
        MetaV1.LabelSelector(matchExpressions: [MetaV1.LabelSelectorRequirement(key: key, operator: "NotIn", values: values)])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var pod: PodBuilder
        var existing: [PodBuilder]
        var nodeLabels: [String: String] = InterPodAffinityTests.nodeLabels
        var want: PluginStatus
    }

    static let p = PodBuilder("incoming")
    static let e = PodBuilder("existing").node("node1")
    static let affinityMismatch = PluginStatus.unresolvable(InterPodAffinity.errReasonAffinityRulesNotMatch)
    static let antiMismatch = PluginStatus.unschedulable(InterPodAffinity.errReasonAntiAffinityRulesNotMatch)
    static let existingMismatch = PluginStatus.unschedulable(InterPodAffinity.errReasonExistingAntiAffinityRulesNotMatch)

    @Test(arguments: [
        Case(testDescription: "A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
             pod: p, existing: [], want: .success),
        Case(testDescription: "satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod",
             pod: p.podAffinity(required: [affinityTerm(inSel("service", ["securityscan", "value2"]), region)]),
             existing: [e.labels(securityScan)], want: .success),
        Case(testDescription: "satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator",
             pod: p.podAffinity(required: [affinityTerm(notInSel("service", ["securityscan3", "value3"]), region)]),
             existing: [e.labels(securityScan)], want: .success),
        Case(testDescription: "Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
             pod: p.podAffinity(required: [affinityTerm(inSel("service", ["securityscan", "value2"]), region, namespaces: ["DiffNameSpace"])]),
             existing: [e.labels(securityScan)], want: affinityMismatch),
        Case(testDescription: "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
             pod: p.podAffinity(required: [affinityTerm(inSel("service", ["antivirusscan", "value2"]), region)]),
             existing: [e.labels(securityScan)], want: affinityMismatch),
        Case(testDescription: "satisfies the PodAffinity and PodAntiAffinity with the existing pod",
             pod: p.podAffinity(required: [affinityTerm(inSel("service", ["securityscan", "value2"]), region)])
                 .podAntiAffinity(required: [affinityTerm(inSel("service", ["antivirusscan", "value2"]), "node")]),
             existing: [e.labels(securityScan)], want: .success),
        Case(testDescription: "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
             pod: p.podAffinity(required: [affinityTerm(inSel("service", ["securityscan", "value2"]), region)])
                 .podAntiAffinity(required: [affinityTerm(inSel("service", ["securityscan", "value2"]), zone)]),
             existing: [e.labels(securityScan)], want: antiMismatch),
        Case(testDescription: "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
             pod: p.labels(["service": "securityscan"])
                 .podAffinity(required: [affinityTerm(inSel("service", ["securityscan", "value2"]), region)]),
             existing: [e.labels(securityScan).podAntiAffinity(required: [affinityTerm(inSel("service", ["securityscan"]), zone)])],
             want: existingMismatch),
        Case(testDescription: "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod",
             pod: p.labels(securityScan),
             existing: [e.podAntiAffinity(required: [affinityTerm(notInSel("service", ["securityscan"]), zone)])],
             want: .success),
        Case(testDescription: "pod matches its own Label in PodAffinity and that matches the existing pod Labels",
             pod: p.labels(securityScan).podAffinity(required: [affinityTerm(inSel("service", ["securityscan"]), zone)]),
             existing: [PodBuilder("other").node("node2").labels(securityScan)], want: affinityMismatch),
        Case(testDescription: "the first pod of a group may match its own affinity",
             pod: p.labels(securityScan).podAffinity(required: [affinityTerm(inSel("service", ["securityscan"]), zone)]),
             existing: [], want: .success),
        Case(testDescription: "node without the topology key fails required affinity",
             pod: p.labels(securityScan).podAffinity(required: [affinityTerm(inSel("service", ["securityscan"]), "rack")]),
             existing: [], want: affinityMismatch),
        Case(testDescription: "a namespaceSelector selects the existing pod's namespace by its labels",
             pod: p.podAffinity(required: [affinityTerm(inSel("service", ["securityscan"]), region, namespaceSelector: selector(["team": "a"]))]),
             existing: [PodBuilder("existing", namespace: "team-a").node("node1").labels(securityScan)], want: .success),
        Case(testDescription: "an empty namespaceSelector selects every namespace",
             pod: p.podAntiAffinity(required: [affinityTerm(inSel("service", ["securityscan"]), region, namespaceSelector: selector([:]))]),
             existing: [PodBuilder("existing", namespace: "other").node("node1").labels(securityScan)], want: antiMismatch),
    ])
    func filter(_ test: Case) {
        let node = NodeBuilder("node1").labels(test.nodeLabels).node
        let other = NodeBuilder("node2").labels(["region": "r2", "zone": "z22"]).node
        let plugin = InterPodAffinity(namespaceLabels: { $0 == "team-a" ? ["team": "a"] : [:] })
        let statuses = runFilter(plugin, pod: test.pod.pod, snapshot: snapshot([node, other], pods: test.existing.map(\.pod)))
        #expect(statuses[0] == test.want)
    }

    @Test func preFilterSkipsPodsWithNothingToCheck() {
        let snap = snapshot([NodeBuilder("node1").labels(Self.nodeLabels).node], pods: [Self.e.labels(Self.securityScan).pod])
        #expect(InterPodAffinity().preFilter(CycleState(), pod: Self.p.info, snapshot: snap) == .skip)
    }

    /// Removing the only matching pod (a preemption what-if) lifts the anti-affinity rejection.
    @Test func removePodUpdatesCounts() {
        let existing = Self.e.labels(Self.securityScan)
        let snap = snapshot([NodeBuilder("node1").labels(Self.nodeLabels).node], pods: [existing.pod])
        let pod = Self.p.podAntiAffinity(required: [affinityTerm(Self.inSel("service", ["securityscan"]), Self.zone)]).info
        let plugin = InterPodAffinity()
        let state = CycleState()
        #expect(plugin.preFilter(state, pod: pod, snapshot: snap) == .success)
        var node = snap.nodes[0]
        #expect(plugin.filter(state, pod: pod, node: node) == Self.antiMismatch)
        let clone = state.clone()
        node.remove(key: existing.info.key)
        #expect(plugin.removePod(clone, pod: pod, removing: existing.info, from: node) == .success)
        #expect(plugin.filter(clone, pod: pod, node: node) == .success)
        #expect(plugin.filter(state, pod: pod, node: snap.nodes[0]) == Self.antiMismatch)
        node.add(existing.info)
        #expect(plugin.addPod(clone, pod: pod, adding: existing.info, to: node) == .success)
        #expect(plugin.filter(clone, pod: pod, node: node) == Self.antiMismatch)
    }

    /// Upstream TestPreferredAffinity: "Affinity: pod that matches topology key & pods in nodes
    /// will get high score comparing to others which doesn't match either pods in nodes or in topology key".
    @Test func preferredAffinityScore() {
        let nodes = [NodeBuilder("node1").labels(["region": "China"]).node,
                     NodeBuilder("node2").labels(["region": "India"]).node,
                     NodeBuilder("node3").labels(["az": "az1"]).node]
        let pods = [PodBuilder("a").node("node1").labels(["security": "S1"]).pod,
                    PodBuilder("b").node("node2").labels(["security": "S2"]).pod]
        let pod = PodBuilder("p").labels(["security": "S1"])
            .podAffinity(preferred: [(5, affinityTerm(Self.inSel("security", ["S1"]), "region"))]).pod
        #expect(runScore(InterPodAffinity(), pod: pod, snapshot: snapshot(nodes, pods: pods)) == [100, 0, 0])
    }

    /// Upstream TestPreferredAffinity: anti-affinity "... pod that doesnot match existing pods in
    /// node will get high score".
    @Test func preferredAntiAffinityScore() {
        let nodes = [NodeBuilder("node1").labels(["region": "China"]).node,
                     NodeBuilder("node2").labels(["region": "India"]).node]
        let pods = [PodBuilder("a").node("node1").labels(["security": "S1"]).pod,
                    PodBuilder("b").node("node2").labels(["security": "S2"]).pod]
        let pod = PodBuilder("p")
            .podAntiAffinity(preferred: [(5, affinityTerm(Self.inSel("security", ["S1"]), "region"))]).pod
        #expect(runScore(InterPodAffinity(), pod: pod, snapshot: snapshot(nodes, pods: pods)) == [0, 100])
    }

    /// Existing pods' required affinity terms count with hardPodAffinityWeight (symmetry).
    @Test func existingRequiredAffinityScoresSymmetrically() {
        let nodes = [NodeBuilder("node1").labels(["region": "China"]).node,
                     NodeBuilder("node2").labels(["region": "India"]).node]
        let pods = [PodBuilder("a").node("node1")
                        .podAffinity(required: [affinityTerm(Self.inSel("security", ["S1"]), "region")]).pod]
        let pod = PodBuilder("p").labels(["security": "S1"]).pod
        #expect(runScore(InterPodAffinity(), pod: pod, snapshot: snapshot(nodes, pods: pods)) == [100, 0])
        #expect(runScore(InterPodAffinity(hardPodAffinityWeight: 0), pod: pod, snapshot: snapshot(nodes, pods: pods)) == nil)
    }
}
