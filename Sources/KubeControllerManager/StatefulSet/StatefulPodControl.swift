import KubeClient
import KubeModel

/// Creates, updates and deletes a StatefulSet's pods and claims, recording upstream's events
/// (`SuccessfulCreate` "create Pod web-0 in StatefulSet web successful", `SuccessfulDelete`,
/// `FailedCreate`, … and the claim events) (upstream's `StatefulPodControl`).
struct StatefulPodControl: Sendable {
    let client: any ObjectClient
    let claims: Lister<CoreV1.PersistentVolumeClaim>
    let events: any EventSink
    let expectations: ControllerExpectations

    /// Creates the pod's claims, then the pod, then sets the claims' owner references.
    func createPod(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) async throws {
        do {
            try await createClaims(set, pod)
        } catch {
            recordPodEvent("create", set, pod, error)
            throw error
        }
        let key = ObjectKeys.key(of: set)
        expectations.raise(key, adds: 1)
        let created: CoreV1.Pod
        do {
            created = try await client.create(pod)
        } catch let error as StatusError where error.isAlreadyExists {
            expectations.creationObserved(key)
            throw error
        } catch {
            expectations.creationObserved(key)
            recordPodEvent("create", set, pod, error)
            throw error
        }
        do {
            try await updateClaimsForRetention(set, created)
        } catch {
            recordPodEvent("update", set, pod, error)
            throw error
        }
        recordPodEvent("create", set, pod, nil)
    }

    /// Restores the pod's identity, storage and claim references (upstream's `UpdateStatefulPod`).
    func updatePod(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) async throws {
        var pod = pod
        var attempted = false
        var lastError: (any Error)?
        for _ in 0..<5 {
            var consistent = true
            if !StatefulSetPods.identityMatches(set, pod) {
                StatefulSetPods.updateIdentity(set, &pod)
                consistent = false
            }
            if !StatefulSetPods.storageMatches(set, pod) {
                StatefulSetPods.updateStorage(set, &pod)
                consistent = false
                do {
                    try await createClaims(set, pod)
                } catch {
                    recordPodEvent("update", set, pod, error)
                    throw error
                }
            }
            if !claimsMatchRetention(set, pod) {
                do {
                    try await updateClaimsForRetention(set, pod)
                } catch {
                    recordPodEvent("update", set, pod, error)
                    throw error
                }
            }
            if consistent { lastError = nil; break }
            attempted = true
            do {
                _ = try await client.update(pod)
                lastError = nil
                break
            } catch let error as StatusError where error.isConflict {
                lastError = error
                pod = try await client.get(CoreV1.Pod.self, namespace: set.metadata.namespace, name: pod.metadata.name ?? "")
            } catch {
                lastError = error
                break
            }
        }
        if attempted { recordPodEvent("update", set, pod, lastError) }
        if let lastError { throw lastError }
    }

    func deletePod(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) async throws {
        let key = ObjectKeys.key(of: set)
        do {
            if let uid = pod.metadata.uid { expectations.raise(key, deleteUIDs: [uid]) }
            do {
                try await client.delete(CoreV1.Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                                        DeleteOptions())
            } catch {
                expectations.deletionObserved(key, uid: pod.metadata.uid)
                throw error
            }
            recordPodEvent("delete", set, pod, nil)
        } catch {
            recordPodEvent("delete", set, pod, error)
            throw error
        }
    }

    /// Creates the missing claims of the pod's ordinal; a claim being deleted is an error.
    func createClaims(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) async throws {
        var errors: [String] = []
        for (_, claim) in StatefulSetPods.claims(set, ordinal: StatefulSetPods.ordinal(pod)) {
            let name = claim.metadata.name ?? ""
            if let existing = claims.get(namespace: claim.metadata.namespace ?? "", name: name) {
                if existing.metadata.deletionTimestamp != nil { errors.append("pvc \(name) is being deleted") }
                continue
            }
            do {
                _ = try await client.create(claim)
                recordClaimEvent("create", set, pod, claim, nil)
            } catch let error as StatusError where error.isAlreadyExists {
                // Made on an earlier pass the cache has not shown yet.
            } catch {
                errors.append("failed to create PVC \(name): \(error)")
                recordClaimEvent("create", set, pod, claim, error)
            }
        }
        if !errors.isEmpty { throw StatefulSetError(errors.joined(separator: ", ")) }
    }

    /// The pod's existing claims have the owner references the retention policy asks for.
    func claimsMatchRetention(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        for (_, claim) in StatefulSetPods.claims(set, ordinal: StatefulSetPods.ordinal(pod)) {
            guard let existing = claims.get(namespace: claim.metadata.namespace ?? "", name: claim.metadata.name ?? "")
            else { continue }
            if !StatefulSetClaimRetention.isUpToDate(existing, set: set, pod: pod) { return false }
        }
        return true
    }

    /// Rewrites the owner references of the pod's claims to follow the retention policy.
    func updateClaimsForRetention(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) async throws {
        for (_, claim) in StatefulSetPods.claims(set, ordinal: StatefulSetPods.ordinal(pod)) {
            let name = claim.metadata.name ?? ""
            guard var existing = claims.get(namespace: claim.metadata.namespace ?? "", name: name) else { continue }
            if StatefulSetClaimRetention.hasUnexpectedController(existing, set, pod) {
                events.event(set, type: .warning, reason: "ConflictingController", message:
                    "PersistentVolumeClaim \(name) has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim")
            }
            guard !StatefulSetClaimRetention.isUpToDate(existing, set: set, pod: pod) else { continue }
            StatefulSetClaimRetention.updateReferences(&existing, set: set, pod: pod)
            do {
                _ = try await client.update(existing)
            } catch {
                throw StatefulSetError("could not update claim \(name) for delete policy ownerRefs: \(error)")
            }
        }
    }

    /// A claim whose pod reference names an earlier pod of the same name: the pod must wait.
    func claimIsStale(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        guard StatefulSetClaimRetention.policy(set).whenScaled != "Retain" else { return false }
        for (_, claim) in StatefulSetPods.claims(set, ordinal: StatefulSetPods.ordinal(pod)) {
            guard let existing = claims.get(namespace: claim.metadata.namespace ?? "", name: claim.metadata.name ?? "")
            else { continue }
            if StatefulSetClaimRetention.hasStaleReference(existing, set: nil, pod: pod) { return true }
        }
        return false
    }

    private func recordPodEvent(_ verb: String, _ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod, _ error: (any Error)?) {
        let title = verb.prefix(1).uppercased() + verb.dropFirst()
        let podName = pod.metadata.name ?? ""
        let setName = set.metadata.name ?? ""
        if let error {
            events.event(set, type: .warning, reason: "Failed\(title)",
                         message: "\(verb) Pod \(podName) in StatefulSet \(setName) failed error: \(Self.describe(error))")
        } else {
            events.event(set, type: .normal, reason: "Successful\(title)",
                         message: "\(verb) Pod \(podName) in StatefulSet \(setName) successful")
        }
    }

    private func recordClaimEvent(_ verb: String, _ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod,
                                  _ claim: CoreV1.PersistentVolumeClaim, _ error: (any Error)?) {
        let title = verb.prefix(1).uppercased() + verb.dropFirst()
        let claimName = claim.metadata.name ?? ""
        let podName = pod.metadata.name ?? ""
        let setName = set.metadata.name ?? ""
        if let error {
            events.event(set, type: .warning, reason: "Failed\(title)",
                         message: "\(verb) Claim \(claimName) for Pod \(podName) in StatefulSet \(setName) failed error: \(Self.describe(error))")
        } else {
            events.event(set, type: .normal, reason: "Successful\(title)",
                         message: "\(verb) Claim \(claimName) Pod \(podName) in StatefulSet \(setName) success")
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? StatusError)?.message ?? "\(error)"
    }
}

/// A StatefulSet sync error with upstream's message.
struct StatefulSetError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
