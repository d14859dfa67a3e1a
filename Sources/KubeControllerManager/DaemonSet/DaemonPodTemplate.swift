import KubeModel

/// Daemon pods as the DaemonSet controller makes them (upstream's `daemon/util`): the
/// tolerations every daemon pod gets, the labels naming the template revision, and the node
/// affinity `metadata.name In [node]` that has the scheduler bind the pod to its node.
public enum DaemonPodTemplate {
    /// upstream's `extensions.DaemonSetTemplateGenerationKey` (pod label).
    public static let templateGenerationLabel = "pod-template-generation"
    /// upstream's `apps.DeprecatedTemplateGeneration` (DaemonSet annotation).
    public static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"
    /// upstream's `apps.DefaultDaemonSetUniqueLabelKey`.
    public static let revisionLabel = ControllerHistory.podRevisionLabel

    /// The tolerations upstream adds to every daemon pod (and network-unavailable for host network pods).
    public static func automaticTolerations(hostNetwork: Bool) -> [CoreV1.Toleration] {
        var tolerations = [
            CoreV1.Toleration(effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists"),
            CoreV1.Toleration(effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists"),
            CoreV1.Toleration(effect: "NoSchedule", key: "node.kubernetes.io/disk-pressure", operator: "Exists"),
            CoreV1.Toleration(effect: "NoSchedule", key: "node.kubernetes.io/memory-pressure", operator: "Exists"),
            CoreV1.Toleration(effect: "NoSchedule", key: "node.kubernetes.io/pid-pressure", operator: "Exists"),
            CoreV1.Toleration(effect: "NoSchedule", key: "node.kubernetes.io/unschedulable", operator: "Exists"),
        ]
        if hostNetwork {
            tolerations.append(CoreV1.Toleration(effect: "NoSchedule", key: "node.kubernetes.io/network-unavailable", operator: "Exists"))
        }
        return tolerations
    }

    /// upstream's `AddOrUpdateDaemonPodTolerations`: each automatic toleration replaces one with
    /// the same key, operator, value and effect, or is appended.
    public static func addTolerations(_ spec: inout CoreV1.PodSpec) {
        var tolerations = spec.tolerations ?? []
        for toleration in automaticTolerations(hostNetwork: spec.hostNetwork == true) {
            if let index = tolerations.firstIndex(where: { sameToleration($0, toleration) }) {
                tolerations[index] = toleration
            } else {
                tolerations.append(toleration)
            }
        }
        spec.tolerations = tolerations
    }

    static func sameToleration(_ a: CoreV1.Toleration, _ b: CoreV1.Toleration) -> Bool {
        (a.key ?? "") == (b.key ?? "") && (a.operator ?? "Equal") == (b.operator ?? "Equal")
            && (a.value ?? "") == (b.value ?? "") && (a.effect ?? "") == (b.effect ?? "")
    }

    /// The DaemonSet's template generation (its annotation), nil when missing or not a number.
    public static func templateGeneration(_ ds: AppsV1.DaemonSet) -> Int64? {
        ds.metadata.annotations?[templateGenerationAnnotation].flatMap { Int64($0) }
    }

    /// upstream's `CreatePodTemplate`: the template with the automatic tolerations and the
    /// generation and revision labels.
    public static func podTemplate(_ ds: AppsV1.DaemonSet, generation: Int64?, hash: String) -> CoreV1.PodTemplateSpec {
        var template = ds.spec.template
        var spec = template.spec ?? CoreV1.PodSpec(containers: [])
        addTolerations(&spec)
        template.spec = spec
        var metadata = template.metadata ?? MetaV1.ObjectMeta()
        var labels = metadata.labels ?? [:]
        if let generation { labels[templateGenerationLabel] = String(generation) }
        if !hash.isEmpty { labels[revisionLabel] = hash }
        metadata.labels = labels
        template.metadata = metadata
        return template
    }

    /// upstream's `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity
    /// becomes the single term `metadata.name In [nodeName]` (other required terms are dropped:
    /// the controller has checked them).
    public static func pinnedAffinity(_ affinity: CoreV1.Affinity?, nodeName: String) -> CoreV1.Affinity {
        var affinity = affinity ?? CoreV1.Affinity()
        var nodeAffinity = affinity.nodeAffinity ?? CoreV1.NodeAffinity()
        let requirement = CoreV1.NodeSelectorRequirement(key: "metadata.name", operator: "In", values: [nodeName])
        nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = CoreV1.NodeSelector(
            nodeSelectorTerms: [CoreV1.NodeSelectorTerm(matchFields: [requirement])])
        affinity.nodeAffinity = nodeAffinity
        return affinity
    }

    /// upstream's `GetTargetNodeName`: the bound node, else the node the affinity pins.
    public static func targetNodeName(_ pod: CoreV1.Pod) -> String? {
        if let name = pod.spec.nodeName, !name.isEmpty { return name }
        let terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
        for term in terms {
            for field in term.matchFields ?? []
            where field.key == "metadata.name" && field.operator == "In" && field.values?.count == 1 {
                return field.values?.first
            }
        }
        return nil
    }

    /// upstream's `IsPodUpdated`: the pod carries the current revision hash or template generation.
    public static func isUpdated(_ pod: CoreV1.Pod, hash: String, generation: Int64?) -> Bool {
        let labels = pod.metadata.labels ?? [:]
        let generationMatches = generation.map { labels[templateGenerationLabel] == String($0) } ?? false
        let hashMatches = !hash.isEmpty && labels[revisionLabel] == hash
        return hashMatches || generationMatches
    }
}
