import KubeModel
import Testing
@testable import KubeScheduler

/// Upstream node_affinity_test.go (`TestNodeAffinity`, `TestNodeAffinityPriority`).
struct NodeAffinityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var pod: PodBuilder
        var nodeName = "node1"
        var labels: [String: String]
        var fits: Bool
        var preFilterConflict = false
    }

    static let pod = PodBuilder()
    static func terms(_ terms: [CoreV1.NodeSelectorRequirement]...) -> [CoreV1.NodeSelectorTerm] {
        terms.map { CoreV1.NodeSelectorTerm(matchExpressions: $0) }
    }
    static func fieldTerm(_ fields: [CoreV1.NodeSelectorRequirement], _ expressions: [CoreV1.NodeSelectorRequirement]? = nil) -> CoreV1.NodeSelectorTerm {
        CoreV1.NodeSelectorTerm(matchExpressions: expressions, matchFields: fields)
    }

    @Test(arguments: [
        Case(testDescription: "missing labels", pod: pod.nodeSelector(["foo": "bar"]), labels: [:], fits: false),
        Case(testDescription: "same labels", pod: pod.nodeSelector(["foo": "bar"]), labels: ["foo": "bar"], fits: true),
        Case(testDescription: "node labels are superset", pod: pod.nodeSelector(["foo": "bar"]), labels: ["foo": "bar", "baz": "blah"], fits: true),
        Case(testDescription: "node labels are subset", pod: pod.nodeSelector(["foo": "bar", "baz": "blah"]), labels: ["foo": "bar"], fits: false),
        Case(testDescription: "Pod with matchExpressions using In operator that matches the existing node",
             pod: pod.nodeAffinity(terms([requirement("foo", "In", ["bar", "value2"])])), labels: ["foo": "bar"], fits: true),
        Case(testDescription: "Pod with matchExpressions using Gt operator that matches the existing node",
             pod: pod.nodeAffinity(terms([requirement("kernel-version", "Gt", ["0204"])])), labels: ["kernel-version": "0206"], fits: true),
        Case(testDescription: "Pod with matchExpressions using NotIn operator that matches the existing node",
             pod: pod.nodeAffinity(terms([requirement("mem-type", "NotIn", ["DDR", "DDR2"])])), labels: ["mem-type": "DDR3"], fits: true),
        Case(testDescription: "Pod with matchExpressions using Exists operator that matches the existing node",
             pod: pod.nodeAffinity(terms([requirement("GPU", "Exists")])), labels: ["GPU": "NVIDIA-GRID-K1"], fits: true),
        Case(testDescription: "Pod with matchExpressions using Lt operator that does not match",
             pod: pod.nodeAffinity(terms([requirement("kernel-version", "Lt", ["0204"])])), labels: ["kernel-version": "0206"], fits: false),
        Case(testDescription: "Pod with affinity that don't match node's labels won't schedule onto the node",
             pod: pod.nodeAffinity(terms([requirement("foo", "In", ["value1", "value2"])])), labels: ["foo": "bar"], fits: false),
        Case(testDescription: "Pod with empty MatchExpressions is not a valid value will match no objects",
             pod: pod.nodeAffinity(terms([])), labels: ["foo": "bar"], fits: false),
        Case(testDescription: "Pod with no Affinity will schedule onto a node", pod: pod, labels: ["foo": "bar"], fits: true),
        Case(testDescription: "Pod with Affinity but nil NodeSelector will schedule onto a node",
             pod: pod.with { $0.spec.affinity = CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity()) }, labels: ["foo": "bar"], fits: true),
        Case(testDescription: "Pod with multiple matchExpressions ANDed that matches the existing node",
             pod: pod.nodeAffinity(terms([requirement("GPU", "Exists"), requirement("GPU", "NotIn", ["AMD", "INTER"])])),
             labels: ["GPU": "NVIDIA-GRID-K1"], fits: true),
        Case(testDescription: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
             pod: pod.nodeAffinity(terms([requirement("GPU", "Exists"), requirement("GPU", "In", ["AMD", "INTER"])])),
             labels: ["GPU": "NVIDIA-GRID-K1"], fits: false),
        Case(testDescription: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels",
             pod: pod.nodeAffinity(terms([requirement("foo", "In", ["bar", "value2"])], [requirement("diffkey", "In", ["wrong", "value2"])])),
             labels: ["foo": "bar"], fits: true),
        Case(testDescription: "Pod with an Affinity and a PodSpec.NodeSelector both satisfied",
             pod: pod.nodeSelector(["foo": "bar"]).nodeAffinity(terms([requirement("foo", "Exists")])), labels: ["foo": "bar"], fits: true),
        Case(testDescription: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector is not satisfied",
             pod: pod.nodeSelector(["foo": "bar"]).nodeAffinity(terms([requirement("foo", "Exists")])), labels: ["foo": "barrrrrr"], fits: false),
        Case(testDescription: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
             pod: pod.nodeAffinity(terms([requirement("foo", "NotIn", ["invalid value: ___@#$%^"])])), labels: ["foo": "bar"], fits: false),
        Case(testDescription: "Pod with matchFields using In operator that matches the existing node",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"])])]), labels: [:], fits: true),
        Case(testDescription: "Pod with matchFields using In operator that does not match the existing node",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"])])]), nodeName: "node2", labels: [:], fits: false),
        Case(testDescription: "Pod with two terms: matchFields does not match, but matchExpressions matches",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"])]),
                                    CoreV1.NodeSelectorTerm(matchExpressions: [requirement("foo", "In", ["bar"])])]),
             nodeName: "node2", labels: ["foo": "bar"], fits: true),
        Case(testDescription: "Pod with one term: matchFields does not match, but matchExpressions matches",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"])], [requirement("foo", "In", ["bar"])])]),
             nodeName: "node2", labels: ["foo": "bar"], fits: false),
        Case(testDescription: "Pod with one term: both matchFields and matchExpressions match",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"])], [requirement("foo", "In", ["bar"])])]),
             labels: ["foo": "bar"], fits: true),
        Case(testDescription: "Pod with two terms: both matchFields and matchExpressions do not match",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"])]),
                                    CoreV1.NodeSelectorTerm(matchExpressions: [requirement("foo", "In", ["not-match-to-bar"])])]),
             nodeName: "node2", labels: ["foo": "bar"], fits: false),
        Case(testDescription: "Pod with two terms of node.Name affinity",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"])]),
                                    fieldTerm([requirement("metadata.name", "In", ["node2"])])]),
             nodeName: "node2", labels: [:], fits: true),
        Case(testDescription: "Pod with two conflicting mach field requirements",
             pod: pod.nodeAffinity([fieldTerm([requirement("metadata.name", "In", ["node1"]), requirement("metadata.name", "In", ["node2"])])]),
             nodeName: "node2", labels: [:], fits: false, preFilterConflict: true),
    ])
    func filter(_ test: Case) {
        let node = NodeBuilder(test.nodeName).labels(test.labels).node
        let statuses = runFilter(NodeAffinity(), pod: test.pod.pod, snapshot: snapshot([node]))
        if test.preFilterConflict {
            #expect(statuses[0] == .unresolvable(NodeAffinity.errReasonConflict))
        } else {
            #expect(statuses[0] == (test.fits ? .success : .unresolvable(NodeAffinity.errReasonPod)))
        }
    }

    struct ScoreCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var pod: PodBuilder
        var nodeLabels: [[String: String]]
        var want: [Int64]?
    }

    static let affinity1 = pod.preferredNodeAffinity([(2, CoreV1.NodeSelectorTerm(matchExpressions: [requirement("foo", "In", ["bar"])]))])
    static let affinity2 = pod.preferredNodeAffinity([
        (2, CoreV1.NodeSelectorTerm(matchExpressions: [requirement("foo", "In", ["bar"])])),
        (4, CoreV1.NodeSelectorTerm(matchExpressions: [requirement("key", "In", ["value"])])),
        (5, CoreV1.NodeSelectorTerm(matchExpressions: [requirement("foo", "In", ["bar"]), requirement("key", "In", ["value"]),
                                                       requirement("az", "In", ["az1"])])),
    ])
    static let label1 = ["foo": "bar"], label2 = ["key": "value"], label3 = ["az": "az1"]
    static let label4 = ["abc": "az11", "def": "az22"], label5 = ["foo": "bar", "key": "value", "az": "az1"]

    @Test(arguments: [
        ScoreCase(testDescription: "all nodes are same priority as NodeAffinity is nil", pod: pod,
                  nodeLabels: [label1, label2, label3], want: nil),
        ScoreCase(testDescription: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
                  pod: affinity1, nodeLabels: [label4, label2, label3], want: [0, 0, 0]),
        ScoreCase(testDescription: "only node1 matches the preferred scheduling requirements of pod",
                  pod: affinity1, nodeLabels: [label1, label2, label3], want: [100, 0, 0]),
        ScoreCase(testDescription: "all nodes matches the preferred scheduling requirements of pod but with different priorities",
                  pod: affinity2, nodeLabels: [label1, label5, label2], want: [18, 100, 36]),
    ])
    func score(_ test: ScoreCase) {
        let nodes = test.nodeLabels.enumerated().map { NodeBuilder("node\($0.offset + 1)").labels($0.element).node }
        #expect(runScore(NodeAffinity(), pod: test.pod.pod, snapshot: snapshot(nodes)) == test.want)
    }
}
