import KubeModel

extension DeploymentUtil {
    public static let revisionAnnotation = "deployment.kubernetes.io/revision"
    public static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    public static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    public static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    /// upstream's `maxRevHistoryLengthInChars`.
    public static let maxRevisionHistoryLength = 2000

    /// Deployment annotations never copied to its ReplicaSets (upstream's `annotationsToSkip`).
    public static let annotationsToSkip: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revisionAnnotation, revisionHistoryAnnotation,
        desiredReplicasAnnotation, maxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ]

    /// The revision annotation as a number (0 when missing or malformed).
    public static func revision(_ rs: AppsV1.ReplicaSet) -> Int64 {
        Int64(rs.metadata.annotations?[revisionAnnotation] ?? "") ?? 0
    }

    public static func maxRevision(_ sets: [AppsV1.ReplicaSet]) -> Int64 {
        sets.map(revision).max() ?? 0
    }

    /// upstream's `SetDeploymentRevision`: true when the annotation changed.
    public static func setDeploymentRevision(_ deployment: inout AppsV1.Deployment, _ revision: String) -> Bool {
        if deployment.metadata.annotations?[revisionAnnotation] == revision { return false }
        deployment.metadata.annotations = (deployment.metadata.annotations ?? [:]).merging([revisionAnnotation: revision]) { $1 }
        return true
    }

    /// Copies the deployment's annotations (but ``annotationsToSkip``) onto `rs`; true when any changed.
    public static func copyAnnotations(from deployment: AppsV1.Deployment, to rs: inout AppsV1.ReplicaSet) -> Bool {
        var annotations = rs.metadata.annotations ?? [:]
        var changed = false
        for (key, value) in deployment.metadata.annotations ?? [:] where !annotationsToSkip.contains(key) {
            if annotations[key] == value { continue }
            annotations[key] = value
            changed = true
        }
        if changed || rs.metadata.annotations == nil { rs.metadata.annotations = annotations }
        return changed
    }

    /// upstream's `SetNewReplicaSetAnnotations`: copied annotations, the revision (raised, never
    /// lowered, the previous one moved into the revision history), and for a set about to be
    /// created the replicas annotations. True when anything changed.
    public static func setNewReplicaSetAnnotations(_ deployment: AppsV1.Deployment, _ rs: inout AppsV1.ReplicaSet,
                                                   newRevision: String, exists: Bool,
                                                   historyLimit: Int = maxRevisionHistoryLength) -> Bool {
        var changed = copyAnnotations(from: deployment, to: &rs)
        var annotations = rs.metadata.annotations ?? [:]
        defer { rs.metadata.annotations = annotations }
        let oldRevision = annotations[revisionAnnotation]
        let oldNumber: Int64
        if let oldRevision, !oldRevision.isEmpty {
            guard let parsed = Int64(oldRevision) else { return false }
            oldNumber = parsed
        } else {
            oldNumber = 0
        }
        guard let newNumber = Int64(newRevision) else { return false }
        if oldNumber < newNumber {
            annotations[revisionAnnotation] = newRevision
            changed = true
        }
        if let oldRevision, oldNumber < newNumber {
            let history = annotations[revisionHistoryAnnotation] ?? ""
            var revisions = history.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if revisions.first?.isEmpty ?? true {
                annotations[revisionHistoryAnnotation] = oldRevision
            } else {
                var total = history.count + oldRevision.count + 1
                var start = 0
                while total > historyLimit && start < revisions.count {
                    total -= revisions[start].count + 1
                    start += 1
                }
                if total <= historyLimit {
                    revisions = Array(revisions[start...]) + [oldRevision]
                    annotations[revisionHistoryAnnotation] = revisions.joined(separator: ",")
                }
            }
        }
        if !exists {
            rs.metadata.annotations = annotations
            if setReplicasAnnotations(&rs, desired: replicas(deployment), max: replicas(deployment) + maxSurge(deployment)) {
                changed = true
            }
            annotations = rs.metadata.annotations ?? [:]
        }
        return changed
    }

    /// Sets the desired- and max-replicas annotations; true when either changed.
    public static func setReplicasAnnotations(_ rs: inout AppsV1.ReplicaSet, desired: Int32, max: Int32) -> Bool {
        var annotations = rs.metadata.annotations ?? [:]
        var changed = false
        if annotations[desiredReplicasAnnotation] != String(desired) {
            annotations[desiredReplicasAnnotation] = String(desired)
            changed = true
        }
        if annotations[maxReplicasAnnotation] != String(max) {
            annotations[maxReplicasAnnotation] = String(max)
            changed = true
        }
        rs.metadata.annotations = annotations
        return changed
    }

    public static func replicasAnnotationsNeedUpdate(_ rs: AppsV1.ReplicaSet, desired: Int32, max: Int32) -> Bool {
        let annotations = rs.metadata.annotations ?? [:]
        return annotations[desiredReplicasAnnotation] != String(desired) || annotations[maxReplicasAnnotation] != String(max)
    }

    /// Oldest first, ties by name (upstream's `ReplicaSetsByCreationTimestamp`).
    public static func byCreation(_ a: AppsV1.ReplicaSet, _ b: AppsV1.ReplicaSet) -> Bool {
        let t1 = a.metadata.creationTimestamp?.secondsSinceEpoch ?? 0
        let t2 = b.metadata.creationTimestamp?.secondsSinceEpoch ?? 0
        if t1 == t2 { return (a.metadata.name ?? "") < (b.metadata.name ?? "") }
        return t1 < t2
    }

    /// Lowest revision first, ties by creation (upstream's `ReplicaSetsByRevision`).
    public static func byRevision(_ a: AppsV1.ReplicaSet, _ b: AppsV1.ReplicaSet) -> Bool {
        let r1 = revision(a), r2 = revision(b)
        if r1 == r2 { return byCreation(a, b) }
        return r1 < r2
    }

    /// Largest first, ties older first (upstream's `ReplicaSetsBySizeOlder`).
    public static func bySizeOlder(_ a: AppsV1.ReplicaSet, _ b: AppsV1.ReplicaSet) -> Bool {
        if replicas(a) == replicas(b) { return byCreation(a, b) }
        return replicas(a) > replicas(b)
    }

    /// Largest first, ties newer first (upstream's `ReplicaSetsBySizeNewer`).
    public static func bySizeNewer(_ a: AppsV1.ReplicaSet, _ b: AppsV1.ReplicaSet) -> Bool {
        if replicas(a) == replicas(b) { return byCreation(b, a) }
        return replicas(a) > replicas(b)
    }

    /// The oldest set whose template equals the deployment's, ignoring the hash label.
    public static func findNewReplicaSet(_ deployment: AppsV1.Deployment, _ sets: [AppsV1.ReplicaSet]) -> AppsV1.ReplicaSet? {
        sets.sorted(by: byCreation).first { equalIgnoringHash($0.spec.template, deployment.spec.template) }
    }

    /// Every set but the new one (`all`) and those of them with replicas wanted (`withReplicas`).
    public static func findOldReplicaSets(_ deployment: AppsV1.Deployment, _ sets: [AppsV1.ReplicaSet])
        -> (withReplicas: [AppsV1.ReplicaSet], all: [AppsV1.ReplicaSet]) {
        let newUID = findNewReplicaSet(deployment, sets)?.metadata.uid
        let all = sets.filter { newUID == nil || $0.metadata.uid != newUID }
        return (all.filter { replicas($0) != 0 }, all)
    }

    /// With one active set (or none: the newest), that set; nil when several are active
    /// (upstream's `FindActiveOrLatest`).
    public static func findActiveOrLatest(_ new: AppsV1.ReplicaSet?, _ old: [AppsV1.ReplicaSet]) -> AppsV1.ReplicaSet? {
        if new == nil && old.isEmpty { return nil }
        let newestFirst = old.sorted { byCreation($1, $0) }
        let activeSets = active(newestFirst + [new])
        switch activeSets.count {
        case 0: return new ?? newestFirst.first
        case 1: return activeSets[0]
        default: return nil
        }
    }

    /// upstream's `EqualIgnoreHash`: the templates are equal once the hash label is removed
    /// (empty and missing fields count as equal).
    public static func equalIgnoringHash(_ a: CoreV1.PodTemplateSpec?, _ b: CoreV1.PodTemplateSpec?) -> Bool {
        normalizedTemplate(a) == normalizedTemplate(b)
    }

    static func normalizedTemplate(_ template: CoreV1.PodTemplateSpec?) -> JSONValue {
        var template = template ?? CoreV1.PodTemplateSpec()
        template.metadata?.labels?[podTemplateHashLabel] = nil
        let json = (try? JSONValueEncoder().encode(template)) ?? .null
        return pruned(json) ?? .null
    }

    /// `value` without nulls, empty objects and empty arrays.
    static func pruned(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .object(let fields):
            let kept = fields.compactMapValues(pruned)
            return kept.isEmpty ? nil : .object(kept)
        case .array(let items):
            return items.isEmpty ? nil : .array(items.map { pruned($0) ?? .null })
        default: return value
        }
    }
}
