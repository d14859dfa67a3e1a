import KubeModel
import Testing
@testable import KubeScheduler

@Suite struct PodLabelIndexTests {
    static let pods: [CoreV1.Pod] = [
        PodBuilder("a").labels(["app": "web", "tier": "front"]).node("n1").pod,
        PodBuilder("b").labels(["app": "web"]).node("n2").pod,
        PodBuilder("c").labels(["app": "db", "tier": "back"]).node("n2").pod,
        PodBuilder("d", namespace: "other").labels(["app": "web"]).node("n3").pod,
        PodBuilder("e").node("n3").pod,
    ]

    static func names(_ entries: [PodLabelIndex.Entry]?) -> [String]? {
        entries.map { $0.map { "\($0.pod.key)@\($0.node)" }.sorted() }
    }

    @Test(arguments: [
        // (selector, the candidates; nil when every pod may match)
        ("app=web", ["default/a@n1", "default/b@n2", "other/d@n3"]),
        ("app in (web,db)", ["default/a@n1", "default/b@n2", "default/c@n2", "other/d@n3"]),
        // The requirement with the fewest candidates is used; the caller matches the rest.
        ("app=web,tier=front", ["default/a@n1"]),
        ("app=web,tier", ["default/a@n1", "default/b@n2", "other/d@n3"]),
        ("app==cache", []),
        ("app!=web", nil),
        ("tier", nil),
        ("", nil),
    ] as [(String, [String]?)])
    func candidatesComeFromARequiredValue(selector: String, expected: [String]?) throws {
        let index = PodLabelIndex(nodes: ["n1", "n2", "n3"].map { name in
            NodeBuilder(name).info(Self.pods.filter { $0.spec.nodeName == name })
        })
        #expect(Self.names(index.candidates(for: try Labels.Selector(parsing: selector))) == expected)
    }

    @Test func selectorMatchingNothingHasNoCandidates() {
        #expect(PodLabelIndex().candidates(for: .nothing)?.isEmpty == true)
    }

    @Test func theCacheKeepsItAsPodsComeAndGo() throws {
        var cache = SchedulerCache()
        for name in ["n1", "n2"] { cache.addOrUpdateNode(NodeBuilder(name).node) }
        let web = try Labels.Selector(parsing: "app=web")
        cache.assume(PodInfo(PodBuilder("a").labels(["app": "web"]).pod), on: "n1")
        cache.addOrUpdateBoundPod(PodBuilder("b").labels(["app": "web"]).node("n2").pod)
        #expect(Self.names(cache.snapshot().podLabels.candidates(for: web)) == ["default/a@n1", "default/b@n2"])
        // Relabelled: found under its new value only.
        cache.addOrUpdateBoundPod(PodBuilder("b").labels(["app": "db"]).node("n2").pod)
        #expect(Self.names(cache.snapshot().podLabels.candidates(for: web)) == ["default/a@n1"])
        // A failed binding, a deleted pod.
        cache.forget(key: "default/a")
        cache.removePod(key: "default/b")
        #expect(Self.names(cache.snapshot().podLabels.candidates(for: web)) == [])
        #expect(cache.snapshot().podLabels.count == 0)
    }

    /// A newer copy of a placed pod (its binding seen, its status written) replaces the entry
    /// in place; a copy on another node or with other labels moves it.
    @Test func aNewerCopyReplacesTheEntry() throws {
        var index = PodLabelIndex()
        let web = try Labels.Selector(parsing: "app=web")
        var pod = PodBuilder("a").labels(["app": "web", "tier": "front"]).node("n1").pod
        index.insert(PodInfo(pod), node: "n1")
        pod.status.phase = "Running"
        index.insert(PodInfo(pod), node: "n1")
        #expect(index.count == 1)
        #expect(index.candidates(for: web)?.map(\.pod.pod.status.phase) == ["Running"])
        #expect(index.candidates(for: try Labels.Selector(parsing: "tier=front"))?.map(\.pod.pod.status.phase) == ["Running"])
        index.insert(PodInfo(pod), node: "n2")
        #expect(Self.names(index.candidates(for: web)) == ["default/a@n2"])
        pod.metadata.labels = ["app": "web"]
        index.insert(PodInfo(pod), node: "n2")
        #expect(Self.names(index.candidates(for: try Labels.Selector(parsing: "tier=front"))) == [])
        #expect(Self.names(index.candidates(for: web)) == ["default/a@n2"])
    }

    /// Counting through the index gives what walking every pod gives: the anti-affinity
    /// filter's verdicts for terms with and without required label values.
    @Test(arguments: ["app=web", "app in (web,db)", "app", "app notin (db)", "app=web,tier=front"])
    func antiAffinityVerdictsMatchAWalkOfEveryPod(selector: String) throws {
        let nodes = ["n1", "n2", "n3", "n4"].map { NodeBuilder($0).label("zone", $0 == "n4" ? "z2" : "z1").node }
        let parsed = try Labels.Selector(parsing: selector)
        let labelSelector = MetaV1.LabelSelector(matchExpressions: parsed.requirements.map { requirement in
            let op: String = switch requirement.operator {
            case .in, .equals, .doubleEquals: "In"
            case .notIn, .notEquals: "NotIn"
            case .exists: "Exists"
            default: "DoesNotExist"
            }
            return MetaV1.LabelSelectorRequirement(
                key: requirement.key, operator: op, values: requirement.values.isEmpty ? nil : requirement.values)
        })
        let incoming = PodBuilder("new").podAntiAffinity(required: [affinityTerm(labelSelector, "kubernetes.io/hostname"),
                                                                    affinityTerm(labelSelector, "zone")]).pod
        let indexed = snapshot(nodes.map { NodeBuilder($0.metadata.name!).labels($0.metadata.labels!).label(
            "kubernetes.io/hostname", $0.metadata.name!).node }, pods: Self.pods)
        let verdicts = runFilter(InterPodAffinity(), pod: incoming, snapshot: indexed).map(\.code)
        // The same pods without labels the selector could use: every pod is walked.
        let expected = indexed.nodes.map { node -> PluginStatus.Code in
            let selected = Self.pods.contains { pod in
                pod.metadata.namespace == "default" && parsed.matches(pod.metadata.labels ?? [:])
                    && (pod.spec.nodeName == node.name
                        || indexed.node(named: pod.spec.nodeName ?? "")?.labels["zone"] == node.labels["zone"])
            }
            return selected ? .unschedulable : .success
        }
        #expect(verdicts == expected)
    }
}
