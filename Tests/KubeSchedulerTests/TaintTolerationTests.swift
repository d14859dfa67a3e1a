import KubeModel
import Testing
@testable import KubeScheduler

/// Upstream taint_toleration_test.go.
struct TaintTolerationTests {
    static func taint(_ key: String, _ value: String?, _ effect: String) -> CoreV1.Taint {
        CoreV1.Taint(effect: effect, key: key, value: value)
    }

    static func toleration(_ key: String, _ op: String, _ value: String?, _ effect: String?) -> CoreV1.Toleration {
        CoreV1.Toleration(effect: effect, key: key, operator: op, value: value)
    }

    struct FilterCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var tolerations: [CoreV1.Toleration]
        var taints: [CoreV1.Taint]
        var want: PluginStatus
    }

    @Test(arguments: [
        FilterCase(testDescription: "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
                   tolerations: [], taints: [taint("dedicated", "user1", "NoSchedule")],
                   want: .unresolvable("node(s) had untolerated taint {dedicated: user1}")),
        FilterCase(testDescription: "A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule",
                   tolerations: [toleration("dedicated", "Equal", "user1", "NoSchedule")],
                   taints: [taint("dedicated", "user1", "NoSchedule")], want: .success),
        FilterCase(testDescription: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
                   tolerations: [toleration("dedicated", "Equal", "user2", "NoSchedule")],
                   taints: [taint("dedicated", "user1", "NoSchedule")],
                   want: .unresolvable("node(s) had untolerated taint {dedicated: user1}")),
        FilterCase(testDescription: "A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node",
                   tolerations: [toleration("foo", "Exists", nil, "NoSchedule")],
                   taints: [taint("foo", "bar", "NoSchedule")], want: .success),
        FilterCase(testDescription: "A pod has multiple tolerations, node has multiple taints, all the taints are tolerated",
                   tolerations: [toleration("dedicated", "Equal", "user2", "NoSchedule"), toleration("foo", "Exists", nil, "NoSchedule")],
                   taints: [taint("dedicated", "user2", "NoSchedule"), taint("foo", "bar", "NoSchedule")], want: .success),
        FilterCase(testDescription: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match",
                   tolerations: [toleration("foo", "Equal", "bar", "PreferNoSchedule")],
                   taints: [taint("foo", "bar", "NoSchedule")], want: .unresolvable("node(s) had untolerated taint {foo: bar}")),
        FilterCase(testDescription: "The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty",
                   tolerations: [toleration("foo", "Equal", "bar", nil)],
                   taints: [taint("foo", "bar", "NoSchedule")], want: .success),
        FilterCase(testDescription: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule",
                   tolerations: [toleration("dedicated", "Equal", "user2", "NoSchedule")],
                   taints: [taint("dedicated", "user1", "PreferNoSchedule")], want: .success),
        FilterCase(testDescription: "The pod has no toleration, but the effect of taint on node is PreferNoSchedule",
                   tolerations: [], taints: [taint("dedicated", "user1", "PreferNoSchedule")], want: .success),
        FilterCase(testDescription: "NoExecute taints are checked too",
                   tolerations: [], taints: [taint("gone", nil, "NoExecute")], want: .unresolvable("node(s) had untolerated taint {gone: }")),
    ])
    func filter(_ test: FilterCase) {
        let node = NodeBuilder("n").taints(test.taints).info()
        #expect(TaintToleration().filter(CycleState(), pod: PodBuilder().tolerations(test.tolerations).info, node: node) == test.want)
    }

    struct ScoreCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var tolerations: [CoreV1.Toleration]
        var nodeTaints: [[CoreV1.Taint]]
        var want: [Int64]
    }

    @Test(arguments: [
        ScoreCase(testDescription: "node with taints tolerated by the pod, gets a higher score than those node with intolerable taints",
                  tolerations: [toleration("foo", "Equal", "bar", "PreferNoSchedule")],
                  nodeTaints: [[taint("foo", "bar", "PreferNoSchedule")], [taint("foo", "blah", "PreferNoSchedule")]],
                  want: [100, 0]),
        ScoreCase(testDescription: "the nodes that all of their taints are tolerated by the pod, get the same score",
                  tolerations: [toleration("cpu-type", "Equal", "arm64", "PreferNoSchedule"),
                                toleration("disk-type", "Equal", "ssd", "PreferNoSchedule")],
                  nodeTaints: [[], [taint("cpu-type", "arm64", "PreferNoSchedule")],
                               [taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk-type", "ssd", "PreferNoSchedule")]],
                  want: [100, 100, 100]),
        ScoreCase(testDescription: "the more intolerable taints a node has, the lower score it gets",
                  tolerations: [toleration("foo", "Equal", "bar", "PreferNoSchedule")],
                  nodeTaints: [[], [taint("cpu-type", "arm64", "PreferNoSchedule")],
                               [taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk-type", "ssd", "PreferNoSchedule")]],
                  want: [100, 50, 0]),
        ScoreCase(testDescription: "only taints and tolerations that have effect PreferNoSchedule are checked",
                  tolerations: [toleration("cpu-type", "Equal", "arm64", "NoSchedule"),
                                toleration("disk-type", "Equal", "ssd", "NoSchedule")],
                  nodeTaints: [[], [taint("cpu-type", "arm64", "NoSchedule")],
                               [taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk-type", "ssd", "PreferNoSchedule")]],
                  want: [100, 100, 0]),
        ScoreCase(testDescription: "Default behaviour No taints and tolerations, lands on node with no taints",
                  tolerations: [], nodeTaints: [[], [taint("cpu-type", "arm64", "PreferNoSchedule")]], want: [100, 0]),
    ])
    func score(_ test: ScoreCase) {
        let nodes = test.nodeTaints.enumerated().map { NodeBuilder("n\($0.offset)").taints($0.element).node }
        let scores = runScore(TaintToleration(), pod: PodBuilder().tolerations(test.tolerations).pod, snapshot: snapshot(nodes))
        #expect(scores == test.want)
    }
}
