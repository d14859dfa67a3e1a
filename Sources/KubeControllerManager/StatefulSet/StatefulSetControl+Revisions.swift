import KubeModel

extension StatefulSetControl {
    /// The set's revision data: its template as a replace patch.
    static func revisionData(_ set: AppsV1.StatefulSet) -> JSONValue {
        ControllerHistory.templatePatch(set.spec.template)
    }

    /// upstream's `getStatefulSetRevisions`: the update revision is the set's template (the
    /// latest revision when equal, an earlier equal one renumbered on a rollback, or a new one);
    /// the current revision is the one `status.currentRevision` names, else the update revision.
    func revisionsFor(_ set: AppsV1.StatefulSet, _ revisions: [AppsV1.ControllerRevision]) async throws
        -> (current: AppsV1.ControllerRevision, update: AppsV1.ControllerRevision, collisionCount: Int32) {
        var collisionCount = set.status.collisionCount ?? 0
        let candidate = ControllerHistory.newRevision(
            owner: set, templateLabels: set.spec.template.metadata?.labels ?? [:], data: Self.revisionData(set),
            revision: ControllerHistory.nextRevision(revisions), collisionCount: collisionCount)
        var annotated = candidate
        if let annotations = set.metadata.annotations, !annotations.isEmpty {
            annotated.metadata.annotations = annotations
        }
        let equal = ControllerHistory.findEqual(revisions, candidate)
        let update: AppsV1.ControllerRevision
        if let lastEqual = equal.last, let latest = revisions.last, ControllerHistory.equal(latest, lastEqual) {
            update = latest
        } else if let lastEqual = equal.last {
            update = try await history.updateRevision(lastEqual, to: candidate.revision)
        } else {
            update = try await history.create(annotated, for: set, collisionCount: &collisionCount)
        }
        let current = revisions.first { $0.metadata.name == set.status.currentRevision } ?? update
        return (current, update, collisionCount)
    }

    /// Deletes the oldest revisions no pod, nor the current or update revision, uses, beyond
    /// `revisionHistoryLimit`.
    func truncateHistory(_ set: AppsV1.StatefulSet, pods: [CoreV1.Pod], revisions: [AppsV1.ControllerRevision],
                         current: AppsV1.ControllerRevision, update: AppsV1.ControllerRevision) async throws {
        var live: Set<String> = [current.metadata.name ?? "", update.metadata.name ?? ""]
        for pod in pods { live.insert(StatefulSetPods.revision(of: pod)) }
        let old = revisions.filter { !live.contains($0.metadata.name ?? "") }
        let limit = Int(set.spec.revisionHistoryLimit ?? 10)
        guard old.count > limit else { return }
        for revision in old.prefix(old.count - limit) { try await history.delete(revision) }
    }
}
