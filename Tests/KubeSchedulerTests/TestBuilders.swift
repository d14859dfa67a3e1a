import KubeModel
@testable import KubeScheduler

/// Builders for test pods and nodes (in the spirit of upstream's `st.MakePod()`/`st.MakeNode()`).
struct PodBuilder {
    var pod = CoreV1.Pod()

    init(_ name: String = "p", namespace: String = "default") {
        pod.metadata.name = name
        pod.metadata.namespace = namespace
        pod.metadata.uid = namespace + "/" + name
        pod.spec.containers = []
    }

    func with(_ change: (inout CoreV1.Pod) -> Void) -> PodBuilder {
        var copy = self
        change(&copy.pod)
        return copy
    }

    func labels(_ labels: [String: String]) -> PodBuilder { with { $0.metadata.labels = labels } }
    func node(_ name: String) -> PodBuilder { with { $0.spec.nodeName = name } }
    func priority(_ value: Int32) -> PodBuilder { with { $0.spec.priority = value } }
    func startTime(_ seconds: Int64) -> PodBuilder { with { $0.status.startTime = MetaV1.Time(secondsSinceEpoch: seconds) } }
    func nodeSelector(_ selector: [String: String]) -> PodBuilder { with { $0.spec.nodeSelector = selector } }
    func tolerations(_ tolerations: [CoreV1.Toleration]) -> PodBuilder { with { $0.spec.tolerations = tolerations } }

    /// Adds a container requesting these resources (`["cpu": "500m"]`).
    func container(_ requests: [String: Quantity] = [:], image: String? = nil, ports: [CoreV1.ContainerPort]? = nil) -> PodBuilder {
        with {
            $0.spec.containers.append(CoreV1.Container(
                image: image, name: "c\($0.spec.containers.count)", ports: ports,
                resources: requests.isEmpty ? nil : CoreV1.ResourceRequirements(requests: requests)))
        }
    }

    func initContainer(_ requests: [String: Quantity]) -> PodBuilder {
        with {
            $0.spec.initContainers = ($0.spec.initContainers ?? []) + [CoreV1.Container(
                name: "i", resources: CoreV1.ResourceRequirements(requests: requests))]
        }
    }

    /// Adds a container claiming `protocol/ip/port` host ports.
    func hostPorts(_ ports: [(String, String, Int32)]) -> PodBuilder {
        container(ports: ports.map { CoreV1.ContainerPort(containerPort: $0.2, hostIP: $0.1, hostPort: $0.2, protocol: $0.0) })
    }

    func nodeAffinity(_ terms: [CoreV1.NodeSelectorTerm]) -> PodBuilder {
        with { pod in
            var affinity = pod.spec.affinity ?? CoreV1.Affinity()
            affinity.nodeAffinity = CoreV1.NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: CoreV1.NodeSelector(nodeSelectorTerms: terms))
            pod.spec.affinity = affinity
        }
    }

    func preferredNodeAffinity(_ terms: [(Int32, CoreV1.NodeSelectorTerm)]) -> PodBuilder {
        with { pod in
            var affinity = pod.spec.affinity ?? CoreV1.Affinity()
            var node = affinity.nodeAffinity ?? CoreV1.NodeAffinity()
            node.preferredDuringSchedulingIgnoredDuringExecution = terms.map { CoreV1.PreferredSchedulingTerm(preference: $0.1, weight: $0.0) }
            affinity.nodeAffinity = node
            pod.spec.affinity = affinity
        }
    }

    func podAffinity(required: [CoreV1.PodAffinityTerm] = [], preferred: [(Int32, CoreV1.PodAffinityTerm)] = []) -> PodBuilder {
        with { pod in
            var affinity = pod.spec.affinity ?? CoreV1.Affinity()
            affinity.podAffinity = CoreV1.PodAffinity(
                preferredDuringSchedulingIgnoredDuringExecution: preferred.isEmpty ? nil : preferred.map { CoreV1.WeightedPodAffinityTerm(podAffinityTerm: $0.1, weight: $0.0) },
                requiredDuringSchedulingIgnoredDuringExecution: required.isEmpty ? nil : required)
            pod.spec.affinity = affinity
        }
    }

    func podAntiAffinity(required: [CoreV1.PodAffinityTerm] = [], preferred: [(Int32, CoreV1.PodAffinityTerm)] = []) -> PodBuilder {
        with { pod in
            var affinity = pod.spec.affinity ?? CoreV1.Affinity()
            affinity.podAntiAffinity = CoreV1.PodAntiAffinity(
                preferredDuringSchedulingIgnoredDuringExecution: preferred.isEmpty ? nil : preferred.map { CoreV1.WeightedPodAffinityTerm(podAffinityTerm: $0.1, weight: $0.0) },
                requiredDuringSchedulingIgnoredDuringExecution: required.isEmpty ? nil : required)
            pod.spec.affinity = affinity
        }
    }

    func spread(_ maxSkew: Int32, _ key: String, _ when: String, selector: MetaV1.LabelSelector?,
                minDomains: Int32? = nil, nodeAffinityPolicy: String? = nil, nodeTaintsPolicy: String? = nil,
                matchLabelKeys: [String]? = nil) -> PodBuilder {
        with {
            $0.spec.topologySpreadConstraints = ($0.spec.topologySpreadConstraints ?? []) + [CoreV1.TopologySpreadConstraint(
                labelSelector: selector, matchLabelKeys: matchLabelKeys, maxSkew: maxSkew, minDomains: minDomains,
                nodeAffinityPolicy: nodeAffinityPolicy, nodeTaintsPolicy: nodeTaintsPolicy, topologyKey: key,
                whenUnsatisfiable: when)]
        }
    }

    var info: PodInfo { PodInfo(pod) }
}

struct NodeBuilder {
    var node = CoreV1.Node()

    init(_ name: String) {
        node.metadata.name = name
        node.status.allocatable = ["pods": "110"]
    }

    func with(_ change: (inout CoreV1.Node) -> Void) -> NodeBuilder {
        var copy = self
        change(&copy.node)
        return copy
    }

    func labels(_ labels: [String: String]) -> NodeBuilder { with { $0.metadata.labels = labels } }
    func label(_ key: String, _ value: String) -> NodeBuilder { with { $0.metadata.labels = ($0.metadata.labels ?? [:]).merging([key: value]) { $1 } } }
    func allocatable(_ resources: [String: Quantity]) -> NodeBuilder { with { $0.status.allocatable = resources } }
    func taints(_ taints: [CoreV1.Taint]) -> NodeBuilder { with { $0.spec.taints = taints } }
    func unschedulable(_ value: Bool?) -> NodeBuilder { with { $0.spec.unschedulable = value } }
    func images(_ images: [([String], Int64)]) -> NodeBuilder {
        with { $0.status.images = images.map { CoreV1.ContainerImage(names: $0.0, sizeBytes: $0.1) } }
    }

    func info(_ pods: [CoreV1.Pod] = []) -> NodeInfo { NodeInfo(node: node, pods: pods) }
}

func selector(_ labels: [String: String]) -> MetaV1.LabelSelector { MetaV1.LabelSelector(matchLabels: labels) }

func selector(exists key: String) -> MetaV1.LabelSelector {
    MetaV1.LabelSelector(matchExpressions: [MetaV1.LabelSelectorRequirement(key: key, operator: "Exists")])
}

func requirement(_ key: String, _ op: String, _ values: [String]? = nil) -> CoreV1.NodeSelectorRequirement {
    CoreV1.NodeSelectorRequirement(key: key, operator: op, values: values)
}

func affinityTerm(_ selector: MetaV1.LabelSelector?, _ topologyKey: String, namespaces: [String]? = nil,
                  namespaceSelector: MetaV1.LabelSelector? = nil) -> CoreV1.PodAffinityTerm {
    CoreV1.PodAffinityTerm(labelSelector: selector, namespaceSelector: namespaceSelector, namespaces: namespaces, topologyKey: topologyKey)
}

/// Snapshot of nodes with the given pods placed by `spec.nodeName`.
func snapshot(_ nodes: [CoreV1.Node], pods: [CoreV1.Pod] = []) -> ClusterSnapshot {
    ClusterSnapshot(nodes: nodes.map { node in
        NodeInfo(node: node, pods: pods.filter { $0.spec.nodeName == node.metadata.name })
    })
}

/// Runs a plugin's PreFilter then Filter on each node, like the framework does.
func runFilter(_ plugin: some PreFilterPlugin & FilterPlugin, pod: CoreV1.Pod, snapshot: ClusterSnapshot) -> [PluginStatus] {
    let state = CycleState()
    let info = PodInfo(pod)
    let pre = plugin.preFilter(state, pod: info, snapshot: snapshot)
    if pre.code == .skip { return snapshot.nodes.map { _ in .success } }
    if !pre.isSuccess { return snapshot.nodes.map { _ in pre } }
    return snapshot.nodes.map { plugin.filter(state, pod: info, node: $0) }
}

/// Runs PreScore, Score and normalisation over all the snapshot's nodes; nil when PreScore skips.
func runScore(_ plugin: some PreScorePlugin & ScorePlugin, pod: CoreV1.Pod, snapshot: ClusterSnapshot,
              nodes: [NodeInfo]? = nil, normalize: Bool = true) -> [Int64]? {
    let state = CycleState()
    let info = PodInfo(pod)
    let feasible = nodes ?? snapshot.nodes
    if plugin.preScore(state, pod: info, nodes: feasible, snapshot: snapshot).code == .skip { return nil }
    var scores = feasible.map { plugin.score(state, pod: info, node: $0) }
    if normalize { plugin.normalize(state, pod: info, scores: &scores) }
    return scores
}
