import KubeClient
import KubeModel

extension DaemonSetController {
    /// The DaemonSet's revision data: its template as a replace patch.
    static func revisionData(_ ds: AppsV1.DaemonSet) -> JSONValue {
        ControllerHistory.templatePatch(ds.spec.template)
    }

    /// upstream's `constructHistory`: the revision of the current template (found by its data,
    /// else created, renumbered to follow the others) and the older ones.
    func constructHistory(_ ds: AppsV1.DaemonSet, selector: Labels.Selector) async throws
        -> (current: AppsV1.ControllerRevision, old: [AppsV1.ControllerRevision]) {
        let candidates = history.revisions.list(namespace: ds.metadata.namespace ?? "")
        var histories = try await history.claim(candidates, owner: ds, selector: selector)
        let data = Self.revisionData(ds)
        let prefix = "\(ds.metadata.name ?? "")-"
        for index in histories.indices where histories[index].metadata.labels?[DaemonPodTemplate.revisionLabel] == nil {
            var labelled = histories[index]
            let name = labelled.metadata.name ?? ""
            labelled.metadata.labels = (labelled.metadata.labels ?? [:]).merging(
                [DaemonPodTemplate.revisionLabel: name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name]) { _, new in new }
            histories[index] = try await client.update(labelled)
        }
        let current = histories.filter { ($0.data ?? .null) == data }
        let old = histories.filter { ($0.data ?? .null) != data }
        let nextRevision = (old.map(\.revision).max() ?? 0) + 1
        var cur: AppsV1.ControllerRevision
        if current.isEmpty {
            cur = try await snapshot(ds, revision: nextRevision, data: data)
        } else {
            cur = try await dedupCurrent(ds, current, selector: selector)
        }
        if cur.revision < nextRevision {
            cur.revision = nextRevision
            cur = try await client.update(cur)
        }
        return (cur, old)
    }

    /// Keeps the highest-numbered of several revisions with the current data, relabels the
    /// pods of the others, and deletes them.
    func dedupCurrent(_ ds: AppsV1.DaemonSet, _ current: [AppsV1.ControllerRevision], selector: Labels.Selector) async throws
        -> AppsV1.ControllerRevision {
        guard current.count > 1 else { return current[0] }
        let keep = current.max { $0.revision < $1.revision }!
        let keepHash = keep.metadata.labels?[DaemonPodTemplate.revisionLabel] ?? ""
        let byNode = try await nodesToDaemonPods(ds, selector: selector)
        for pod in byNode.values.joined() where pod.metadata.labels?[DaemonPodTemplate.revisionLabel] != keepHash {
            let patch = ObjectPatch(.merge, json: .object(["metadata": .object(["labels": .object([
                DaemonPodTemplate.revisionLabel: .string(keepHash)])])]))
            _ = try await client.patch(CoreV1.Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "", patch)
        }
        for duplicate in current where duplicate.metadata.name != keep.metadata.name {
            try await history.delete(duplicate)
        }
        return keep
    }

    /// upstream's `snapshot`: a new revision named `<ds>-<hash of template and collisionCount>`;
    /// a name taken by other data bumps the DaemonSet's `status.collisionCount` and fails the pass.
    func snapshot(_ ds: AppsV1.DaemonSet, revision: Int64, data: JSONValue) async throws -> AppsV1.ControllerRevision {
        let hash = PodTemplateHash.compute(ds.spec.template, collisionCount: ds.status.collisionCount)
        var object = AppsV1.ControllerRevision()
        object.metadata.name = ControllerHistory.revisionName(prefix: ds.metadata.name ?? "", hash: hash)
        object.metadata.namespace = ds.metadata.namespace
        var labels = ds.spec.template.metadata?.labels ?? [:]
        labels[DaemonPodTemplate.revisionLabel] = hash
        object.metadata.labels = labels
        object.metadata.annotations = ds.metadata.annotations
        object.metadata.ownerReferences = [OwnerReferences.controllerReference(to: ds)]
        object.data = data
        object.revision = revision
        do {
            return try await client.create(object)
        } catch let error as StatusError where error.isAlreadyExists {
            let existing = try await client.get(AppsV1.ControllerRevision.self, namespace: ds.metadata.namespace,
                                                name: object.metadata.name ?? "")
            if OwnerReferences.controller(of: existing)?.uid == ds.metadata.uid, (existing.data ?? .null) == data {
                return existing
            }
            var fresh = try await client.get(AppsV1.DaemonSet.self, namespace: ds.metadata.namespace, name: ds.metadata.name ?? "")
            if fresh.status.collisionCount != ds.status.collisionCount {
                throw DaemonSetError("found a stale collision count (\(fresh.status.collisionCount ?? 0), expected \(ds.status.collisionCount ?? 0)) of DaemonSet \"\(ds.metadata.name ?? "")\" while processing; will retry until it is updated")
            }
            fresh.status.collisionCount = (fresh.status.collisionCount ?? 0) + 1
            _ = try await client.updateStatus(fresh)
            throw error
        }
    }

    /// Deletes the oldest revisions no pod uses beyond `revisionHistoryLimit`.
    func cleanupHistory(_ ds: AppsV1.DaemonSet, old: [AppsV1.ControllerRevision], selector: Labels.Selector) async throws {
        failedPodsBackoff.collectGarbage(now: now())
        var toKill = old.count - Int(ds.spec.revisionHistoryLimit ?? 10)
        guard toKill > 0 else { return }
        let byNode = try await nodesToDaemonPods(ds, selector: selector)
        let live = Set(byNode.values.joined().compactMap { $0.metadata.labels?[DaemonPodTemplate.revisionLabel] })
        for revision in ControllerHistory.sorted(old) where toKill > 0 {
            if let hash = revision.metadata.labels?[DaemonPodTemplate.revisionLabel], live.contains(hash) { continue }
            try await history.delete(revision)
            toKill -= 1
        }
    }
}

/// A DaemonSet sync error with upstream's message.
struct DaemonSetError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
