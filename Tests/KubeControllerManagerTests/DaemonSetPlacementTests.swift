import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

/// Tables after upstream's daemon_controller_test.go (TestNodeShouldRunDaemonPod, the taint
/// and toleration cases) and daemonset_util_test.go (tolerations, node affinity, IsPodUpdated).
@Suite struct DaemonSetPlacementTests {
    struct PlacementCase: Sendable, CustomTestStringConvertible {
        var label: String
        var nodeLabels: [String: String] = [:]
        var taints: [CoreV1.Taint] = []
        var nodeSelector: [String: String]? = nil
        var affinity: CoreV1.Affinity? = nil
        var tolerations: [CoreV1.Toleration]? = nil
        var nodeName: String? = nil
        var hostNetwork = false
        var shouldRun: Bool
        var shouldContinueRunning: Bool
        var testDescription: String { label }
    }

    static func requiredAffinity(_ terms: [CoreV1.NodeSelectorTerm]) -> CoreV1.Affinity {
        CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity(
            requiredDuringSchedulingIgnoredDuringExecution: CoreV1.NodeSelector(nodeSelectorTerms: terms)))
    }

    static let cases: [PlacementCase] = [
        PlacementCase(label: "plain pod runs anywhere", shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "nodeName of another node", nodeName: "other", shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "nodeName of this node", nodeName: "node", shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "nodeSelector matches", nodeLabels: ["disk": "ssd"], nodeSelector: ["disk": "ssd"],
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "nodeSelector does not match", nodeLabels: ["disk": "hdd"], nodeSelector: ["disk": "ssd"],
                      shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "required affinity matches", nodeLabels: ["zone": "a"],
                      affinity: requiredAffinity([CoreV1.NodeSelectorTerm(matchExpressions: [
                          CoreV1.NodeSelectorRequirement(key: "zone", operator: "In", values: ["a", "b"])])]),
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "required affinity does not match", nodeLabels: ["zone": "c"],
                      affinity: requiredAffinity([CoreV1.NodeSelectorTerm(matchExpressions: [
                          CoreV1.NodeSelectorRequirement(key: "zone", operator: "In", values: ["a", "b"])])]),
                      shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "affinity on the node name field", affinity: requiredAffinity([CoreV1.NodeSelectorTerm(matchFields: [
                          CoreV1.NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["node"])])]),
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "affinity terms are ORed", nodeLabels: ["zone": "c"],
                      affinity: requiredAffinity([
                          CoreV1.NodeSelectorTerm(matchExpressions: [CoreV1.NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"])]),
                          CoreV1.NodeSelectorTerm(matchExpressions: [CoreV1.NodeSelectorRequirement(key: "zone", operator: "Exists")]),
                      ]),
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "untolerated NoSchedule taint", taints: [CoreV1.Taint(effect: "NoSchedule", key: "dedicated", value: "gpu")],
                      shouldRun: false, shouldContinueRunning: true),
        PlacementCase(label: "untolerated NoExecute taint", taints: [CoreV1.Taint(effect: "NoExecute", key: "dedicated", value: "gpu")],
                      shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "PreferNoSchedule taint is no obstacle", taints: [CoreV1.Taint(effect: "PreferNoSchedule", key: "dedicated")],
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "tolerated NoSchedule taint", taints: [CoreV1.Taint(effect: "NoSchedule", key: "dedicated", value: "gpu")],
                      tolerations: [CoreV1.Toleration(effect: "NoSchedule", key: "dedicated", operator: "Equal", value: "gpu")],
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "tolerated NoExecute taint", taints: [CoreV1.Taint(effect: "NoExecute", key: "dedicated", value: "gpu")],
                      tolerations: [CoreV1.Toleration(key: "dedicated", operator: "Exists")],
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "unschedulable taint is tolerated automatically",
                      taints: [CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/unschedulable")],
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "not-ready NoExecute is tolerated automatically",
                      taints: [CoreV1.Taint(effect: "NoExecute", key: "node.kubernetes.io/not-ready")],
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "memory pressure is tolerated automatically",
                      taints: [CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/memory-pressure")],
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "network unavailable blocks ordinary pods",
                      taints: [CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/network-unavailable")],
                      shouldRun: false, shouldContinueRunning: true),
        PlacementCase(label: "network unavailable is tolerated for host network pods",
                      taints: [CoreV1.Taint(effect: "NoSchedule", key: "node.kubernetes.io/network-unavailable")], hostNetwork: true,
                      shouldRun: true, shouldContinueRunning: true),
    ]

    @Test(arguments: cases)
    func nodeShouldRunDaemonPod(_ testCase: PlacementCase) {
        var ds = DaemonSetTestCluster.daemonSet()
        ds.spec.template.spec?.nodeSelector = testCase.nodeSelector
        ds.spec.template.spec?.affinity = testCase.affinity
        ds.spec.template.spec?.tolerations = testCase.tolerations
        ds.spec.template.spec?.nodeName = testCase.nodeName
        ds.spec.template.spec?.hostNetwork = testCase.hostNetwork ? true : nil
        let node = DaemonSetTestCluster.node("node", labels: testCase.nodeLabels, taints: testCase.taints)
        let result = DaemonSetPlacement.shouldRun(node, ds)
        #expect(result.shouldRun == testCase.shouldRun)
        #expect(result.shouldContinueRunning == testCase.shouldContinueRunning)
    }

    @Test func automaticTolerationsAreAddedOnce() {
        var spec = CoreV1.PodSpec(containers: [])
        spec.tolerations = [CoreV1.Toleration(effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 300)]
        DaemonPodTemplate.addTolerations(&spec)
        DaemonPodTemplate.addTolerations(&spec)
        let keys = (spec.tolerations ?? []).map { "\($0.key ?? ""):\($0.effect ?? "")" }
        #expect(keys == [
            "node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute",
            "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule",
            "node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule",
        ])
        // The matching toleration is replaced (its tolerationSeconds dropped), as upstream does.
        #expect(spec.tolerations?.first?.tolerationSeconds == nil)
        var host = CoreV1.PodSpec(containers: [])
        host.hostNetwork = true
        DaemonPodTemplate.addTolerations(&host)
        #expect(host.tolerations?.last?.key == "node.kubernetes.io/network-unavailable")
    }

    @Test func theNodeAffinityPinsTheNode() {
        let pinned = DaemonPodTemplate.pinnedAffinity(nil, nodeName: "n1")
        let terms = pinned.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        #expect(terms == [CoreV1.NodeSelectorTerm(matchFields: [CoreV1.NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["n1"])])])
        // Existing required terms are replaced; preferred terms are kept.
        var affinity = DaemonSetPlacementTests.requiredAffinity([CoreV1.NodeSelectorTerm(matchExpressions: [
            CoreV1.NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"])])])
        affinity.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution = [
            CoreV1.PreferredSchedulingTerm(preference: CoreV1.NodeSelectorTerm(matchExpressions: [
                CoreV1.NodeSelectorRequirement(key: "disk", operator: "Exists")]), weight: 1),
        ]
        let replaced = DaemonPodTemplate.pinnedAffinity(affinity, nodeName: "n2")
        #expect(replaced.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.first?.matchFields?.first?.values == ["n2"])
        #expect(replaced.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.count == 1)
        #expect(replaced.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.count == 1)
        var pod = CoreV1.Pod()
        pod.spec.affinity = replaced
        #expect(DaemonPodTemplate.targetNodeName(pod) == "n2")
        pod.spec.nodeName = "bound"
        #expect(DaemonPodTemplate.targetNodeName(pod) == "bound")
    }

    @Test(arguments: [
        (["controller-revision-hash": "h1"], "h1", Int64?(nil), true),
        (["controller-revision-hash": "h0"], "h1", Int64?(nil), false),
        (["pod-template-generation": "2"], "h1", Int64?(2), true),
        (["pod-template-generation": "1"], "h1", Int64?(2), false),
        (["controller-revision-hash": "h0", "pod-template-generation": "2"], "h1", Int64?(2), true),
        ([String: String](), "", Int64?(nil), false),
    ])
    func podIsUpdated(_ labels: [String: String], _ hash: String, _ generation: Int64?, _ expected: Bool) {
        var pod = CoreV1.Pod()
        pod.metadata.labels = labels
        #expect(DaemonPodTemplate.isUpdated(pod, hash: hash, generation: generation) == expected)
    }

    @Test func thePodTemplateCarriesGenerationRevisionAndTolerations() {
        let ds = DaemonSetTestCluster.daemonSet(generation: 3)
        let template = DaemonPodTemplate.podTemplate(ds, generation: DaemonPodTemplate.templateGeneration(ds), hash: "abc")
        #expect(template.metadata?.labels == ["app": "agent", "pod-template-generation": "3", "controller-revision-hash": "abc"])
        #expect(template.spec?.tolerations?.count == 6)
    }
}
