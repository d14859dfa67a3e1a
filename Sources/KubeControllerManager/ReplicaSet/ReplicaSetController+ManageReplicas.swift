import KubeClient
import KubeModel

extension ReplicaSetController {
    /// upstream's `manageReplicas`: creates the missing pods in slow-start batches or deletes
    /// the surplus, best candidates first, at most ``burstReplicas`` per pass, recording what it
    /// expects the informer to show next.
    func manageReplicas(_ pods: [CoreV1.Pod], owner: Owner, key: String) async throws {
        let diff = pods.count - Int(owner.desiredReplicas)
        if diff < 0 {
            let count = min(-diff, Self.burstReplicas)
            expectations.expect(key, adds: count)
            let (successes, error) = await SlowStartBatch.run(count: count, initialBatchSize: Self.slowStartInitialBatchSize) {
                do {
                    try await createPod(for: owner)
                } catch let error as StatusError where error.hasCause("NamespaceTerminating") {
                    // The namespace is going away: nothing to create.
                }
            }
            for _ in 0..<max(0, count - successes) { expectations.creationObserved(key) }
            if let error { throw error }
        } else if diff > 0 {
            let count = min(diff, Self.burstReplicas)
            let victims = PodDeletionRanking(now: now()).podsToDelete(pods, related: relatedPods(of: owner), count: count)
            expectations.expect(key, deleteUIDs: Set(victims.compactMap(\.metadata.uid)))
            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                for pod in victims {
                    group.addTask {
                        do {
                            try await deletePod(pod, of: owner)
                            return nil
                        } catch {
                            expectations.deletionObserved(key, uid: pod.metadata.uid)
                            if let status = error as? StatusError, status.isNotFound { return nil }
                            return error
                        }
                    }
                }
                var errors: [any Error] = []
                for await error in group { if let error { errors.append(error) } }
                return errors
            }
            if let first = errors.first { throw first }
        }
    }

    /// One pod from the owner's template (upstream's `GetPodFromTemplate`), with events as
    /// upstream's `RealPodControl`.
    func createPod(for owner: Owner) async throws {
        let pod = Self.pod(from: owner.podTemplate ?? CoreV1.PodTemplateSpec(), owner: owner)
        if (pod.metadata.labels ?? [:]).isEmpty {
            throw ManageError("unable to create pods, no labels")
        }
        do {
            let created = try await client.create(pod)
            events.event(owner, type: .normal, reason: "SuccessfulCreate", message: "Created pod: \(created.metadata.name ?? "")")
        } catch {
            if !((error as? StatusError)?.hasCause("NamespaceTerminating") ?? false) {
                events.event(owner, type: .warning, reason: "FailedCreate", message: "Error creating: \(Self.text(of: error))")
            }
            throw error
        }
    }

    func deletePod(_ pod: CoreV1.Pod, of owner: Owner) async throws {
        let name = pod.metadata.name ?? ""
        do {
            try await client.delete(CoreV1.Pod.self, namespace: pod.metadata.namespace, name: name, DeleteOptions())
            events.event(owner, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
        } catch let error as StatusError where error.isNotFound {
            throw error
        } catch {
            events.event(owner, type: .warning, reason: "FailedDelete", message: "Error deleting: \(Self.text(of: error))")
            throw ManageError("unable to delete pods: \(Self.text(of: error))")
        }
    }

    /// The pod a template makes for `owner`: the template's labels, annotations, finalizers and
    /// spec, `generateName` `<owner>-` and the owner's controller reference.
    static func pod(from template: CoreV1.PodTemplateSpec, owner: Owner) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        let ownerName = owner.metadata.name ?? ""
        pod.metadata.namespace = owner.metadata.namespace
        pod.metadata.labels = template.metadata?.labels
        pod.metadata.annotations = template.metadata?.annotations
        pod.metadata.finalizers = template.metadata?.finalizers
        let prefix = ownerName + "-"
        pod.metadata.generateName = NameValidation.isDNS1123Subdomain(prefix + "a").isEmpty ? prefix : ownerName
        pod.metadata.ownerReferences = [OwnerReferences.controllerReference(to: owner)]
        pod.spec = template.spec ?? CoreV1.PodSpec()
        return pod
    }

    /// The active pods of every ReplicaSet with the same controller as `owner` (or of `owner`
    /// alone), which the deletion ranking counts per node.
    func relatedPods(of owner: Owner) -> [CoreV1.Pod] {
        let namespace = owner.metadata.namespace ?? ""
        var ownerUIDs: Set<String> = [owner.metadata.uid ?? ""]
        if let controller = OwnerReferences.controller(of: owner) {
            for sibling in owners.list(namespace: namespace)
            where OwnerReferences.controller(of: sibling)?.uid == controller.uid {
                ownerUIDs.insert(sibling.metadata.uid ?? "")
            }
        }
        return pods.list(namespace: namespace).filter {
            PodReadiness.isActive($0) && ownerUIDs.contains(OwnerReferences.controller(of: $0)?.uid ?? "-")
        }
    }

    /// An error as upstream prints it (a Status error by its message).
    static func text(of error: any Error) -> String {
        if let status = error as? StatusError { return status.message }
        return "\(error)"
    }

    struct ManageError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension StatusError {
    /// True when the Status lists a cause of type `type` (`NamespaceTerminating`; `reason` on the wire).
    func hasCause(_ type: String) -> Bool {
        status.details?.causes?.contains { $0.reason == type } ?? false
    }
}
