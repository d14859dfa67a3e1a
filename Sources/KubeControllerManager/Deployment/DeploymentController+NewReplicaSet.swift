import KubeClient
import KubeModel

extension DeploymentController {
    /// upstream's `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (made when
    /// `create` and missing) with its revision synced, and every old one.
    func replicaSetsAndSyncRevision(_ d: inout AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet],
                                    create: Bool) async throws -> (new: AppsV1.ReplicaSet?, old: [AppsV1.ReplicaSet]) {
        let old = DeploymentUtil.findOldReplicaSets(d, rsList).all
        let new = try await newReplicaSet(&d, rsList, old: old, create: create)
        return (new, old)
    }

    /// upstream's `getNewReplicaSet`: syncs the annotations, minReadySeconds and revision of
    /// the existing new ReplicaSet, or creates it (sized by ``DeploymentUtil/newRSNewReplicas``),
    /// handling a name collision by bumping `status.collisionCount`.
    func newReplicaSet(_ d: inout AppsV1.Deployment, _ rsList: [AppsV1.ReplicaSet], old: [AppsV1.ReplicaSet],
                       create: Bool) async throws -> AppsV1.ReplicaSet? {
        let newRevision = String(DeploymentUtil.maxRevision(old) + 1)
        if let existing = DeploymentUtil.findNewReplicaSet(d, rsList) {
            var copy = existing
            let annotationsUpdated = DeploymentUtil.setNewReplicaSetAnnotations(d, &copy, newRevision: newRevision, exists: true)
            if annotationsUpdated || (copy.spec.minReadySeconds ?? 0) != (d.spec.minReadySeconds ?? 0) {
                copy.spec.minReadySeconds = d.spec.minReadySeconds
                return try await client.update(copy)
            }
            let revisionChanged = DeploymentUtil.setDeploymentRevision(&d, copy.metadata.annotations?[DeploymentUtil.revisionAnnotation] ?? "")
            var statusChanged = false
            if DeploymentUtil.hasProgressDeadline(d), DeploymentConditions.get(d.status, DeploymentConditions.progressing) == nil {
                DeploymentConditions.set(&d.status, DeploymentConditions.make(
                    DeploymentConditions.progressing, "True", DeploymentConditions.foundNewRSReason,
                    "Found new replica set \"\(copy.metadata.name ?? "")\"", now: now()))
                statusChanged = true
            }
            if revisionChanged { try await writeRevision(&d) }
            if statusChanged { try await writeStatus(&d) }
            return copy
        }
        guard create else { return nil }

        let template = d.spec.template
        let hash = PodTemplateHash.compute(template, collisionCount: d.status.collisionCount)
        var rsTemplate = template
        var metadata = rsTemplate.metadata ?? MetaV1.ObjectMeta()
        metadata.labels = (template.metadata?.labels ?? [:]).merging([DeploymentUtil.podTemplateHashLabel: hash]) { $1 }
        rsTemplate.metadata = metadata
        var selector = d.spec.selector
        selector.matchLabels = (selector.matchLabels ?? [:]).merging([DeploymentUtil.podTemplateHashLabel: hash]) { $1 }

        var rs = AppsV1.ReplicaSet()
        rs.metadata.name = "\(d.metadata.name ?? "")-\(hash)"
        rs.metadata.namespace = d.metadata.namespace
        rs.metadata.ownerReferences = [OwnerReferences.controllerReference(to: d)]
        rs.metadata.labels = metadata.labels
        rs.spec = AppsV1.ReplicaSetSpec(minReadySeconds: d.spec.minReadySeconds, replicas: 0, selector: selector, template: rsTemplate)
        let count = try DeploymentUtil.newRSNewReplicas(d, all: old + [rs], new: rs)
        rs.spec.replicas = count
        _ = DeploymentUtil.setNewReplicaSetAnnotations(d, &rs, newRevision: newRevision, exists: false)

        var alreadyExists = false
        var created: AppsV1.ReplicaSet
        do {
            created = try await client.create(rs)
        } catch let error as StatusError where error.isAlreadyExists {
            alreadyExists = true
            guard let existing = replicaSets.get(namespace: d.metadata.namespace ?? "", name: rs.metadata.name ?? "") else {
                throw error
            }
            if let reference = OwnerReferences.controller(of: existing), reference.uid == d.metadata.uid,
               DeploymentUtil.equalIgnoringHash(d.spec.template, existing.spec.template) {
                created = existing
            } else {
                d.status.collisionCount = (d.status.collisionCount ?? 0) + 1
                if (try? await writeStatus(&d)) != nil {
                    logger.info("found a hash collision for deployment; bumping collisionCount to resolve it", metadata: [
                        "deployment": "\(ObjectKeys.key(of: d))", "collisionCount": "\(d.status.collisionCount ?? 0)",
                    ])
                }
                throw error
            }
        } catch let error as StatusError where error.hasCause("NamespaceTerminating") {
            throw error
        } catch {
            let message = "Failed to create new replica set \"\(rs.metadata.name ?? "")\": \(ReplicaSetController<AppsV1.ReplicaSet>.text(of: error))"
            if DeploymentUtil.hasProgressDeadline(d) {
                DeploymentConditions.set(&d.status, DeploymentConditions.make(
                    DeploymentConditions.progressing, "False", DeploymentConditions.failedRSCreateReason, message, now: now()))
                try? await writeStatus(&d)
            }
            events.event(d, type: .warning, reason: DeploymentConditions.failedRSCreateReason, message: message)
            throw error
        }
        if !alreadyExists && count > 0 {
            events.event(d, type: .normal, reason: "ScalingReplicaSet",
                         message: "Scaled up replica set \(created.metadata.name ?? "") from 0 to \(count)")
        }
        let revisionChanged = DeploymentUtil.setDeploymentRevision(&d, newRevision)
        var statusChanged = false
        if !alreadyExists && DeploymentUtil.hasProgressDeadline(d) {
            DeploymentConditions.set(&d.status, DeploymentConditions.make(
                DeploymentConditions.progressing, "True", DeploymentConditions.newReplicaSetReason,
                "Created new replica set \"\(created.metadata.name ?? "")\"", now: now()))
            statusChanged = true
        }
        if revisionChanged { try await writeRevision(&d) }
        if statusChanged { try await writeStatus(&d) }
        return created
    }
}
