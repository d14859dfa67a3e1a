import KubeClient
import KubeComponentHelpers
import KubeModel

extension PersistentVolumeController {
    /// upstream's `syncClaim`: claims whose binding is not complete look for their volume; bound
    /// ones check that it is still theirs.
    func syncClaim(_ claim: CoreV1.PersistentVolumeClaim) async throws {
        if claim.metadata.annotations?[VolumeAnnotations.bindCompleted] == nil {
            try await syncUnboundClaim(claim)
        } else {
            try await syncBoundClaim(claim)
        }
    }

    private func syncUnboundClaim(_ claim: CoreV1.PersistentVolumeClaim) async throws {
        let volumeName = claim.spec.volumeName ?? ""
        if volumeName.isEmpty {
            let delayBinding = isDelayBinding(claim)
            if let volume = try bestMatch(for: claim, delayBinding: delayBinding) {
                try await bind(volume, claim)
                return
            }
            if try await assignDefaultClass(claim) { return }
            let className = claim.storageClass
            if delayBinding && claim.metadata.annotations?[VolumeAnnotations.selectedNode] == nil {
                // The scheduler binds it once a pod using it is scheduled.
                let waiting = podsWaiting(for: claim)
                if waiting.isEmpty {
                    events.event(claim, type: .normal, reason: "WaitForFirstConsumer",
                                 message: "waiting for first consumer to be created before binding")
                } else {
                    events.event(claim, type: .normal, reason: "WaitForPodScheduled",
                                 message: "waiting for \(waiting.count == 1 ? "pod" : "pods") \(waiting.joined(separator: ",")) to be scheduled")
                }
                resync(claim)
                return
            }
            if !className.isEmpty {
                try await provision(claim, className: className)
                resync(claim)
                return
            }
            events.event(claim, type: .normal, reason: "FailedBinding",
                         message: "no persistent volumes available for this claim and no storage class is set")
            try await setClaimPending(claim)
            resync(claim)
            return
        }
        // The claim names its volume (pre-bound by its user).
        guard let volume = volumes.get(name: volumeName) else {
            try await setClaimPending(claim)
            resync(claim)
            return
        }
        if volume.spec.claimRef == nil {
            if let mismatch = Self.mismatch(volume, claim) {
                events.event(claim, type: .warning, reason: "VolumeMismatch",
                             message: "Cannot bind to requested volume \"\(volumeName)\": \(mismatch)")
                try await setClaimPending(claim)
                return
            }
            try await bind(volume, claim)
        } else if volume.isBound(to: claim) {
            try await bind(volume, claim)
        } else {
            events.event(claim, type: .warning, reason: "FailedBinding",
                         message: "volume \"\(volumeName)\" already bound to a different claim.")
            try await setClaimPending(claim)
        }
    }

    private func syncBoundClaim(_ claim: CoreV1.PersistentVolumeClaim) async throws {
        let volumeName = claim.spec.volumeName ?? ""
        if volumeName.isEmpty {
            try await setClaimLost(claim, reason: "ClaimLost",
                                   message: "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!")
            return
        }
        guard let volume = volumes.get(name: volumeName) else {
            try await setClaimLost(claim, reason: "ClaimLost",
                                   message: "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
            return
        }
        if volume.spec.claimRef == nil || volume.spec.claimRef?.uid == claim.metadata.uid {
            try await bind(volume, claim)
        } else {
            try await setClaimLost(claim, reason: "ClaimMisbound",
                                   message: "Two claims are bound to the same volume, this one is bound incorrectly")
        }
    }

    /// The claim's class exists and binds WaitForFirstConsumer.
    func isDelayBinding(_ claim: CoreV1.PersistentVolumeClaim) -> Bool {
        let className = claim.storageClass
        guard !className.isEmpty, let storageClass = classes.get(name: className) else { return false }
        return storageClass.volumeBindingMode == VolumeAnnotations.waitForFirstConsumer
    }

    /// upstream's `findBestMatchForClaim`: volumes grouped by access modes, the groups covering
    /// the claim's modes tried with the fewest modes first.
    func bestMatch(for claim: CoreV1.PersistentVolumeClaim, delayBinding: Bool) throws -> CoreV1.PersistentVolume? {
        let wanted = Set(claim.spec.accessModes ?? [])
        var groups: [Set<String>: [CoreV1.PersistentVolume]] = [:]
        for volume in volumes.list() { groups[Set(volume.spec.accessModes ?? []), default: []].append(volume) }
        let covering = groups.keys.filter { wanted.isSubset(of: $0) }
            .sorted { $0.count != $1.count ? $0.count < $1.count : $0.sorted().joined(separator: ",") < $1.sorted().joined(separator: ",") }
        for modes in covering {
            let candidates = groups[modes]!.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
            if let volume = try PersistentVolumeMatching.findMatchingVolume(
                for: claim, in: candidates, node: nil, delayBinding: delayBinding) {
                return volume
            }
        }
        return nil
    }

    /// A claim with no class at all gets the default class (upstream's retroactive default);
    /// answers whether it wrote.
    private func assignDefaultClass(_ claim: CoreV1.PersistentVolumeClaim) async throws -> Bool {
        guard DefaultStorageClass.needsClass(claim), let defaultClass = DefaultStorageClass.choose(from: classes.list()) else {
            return false
        }
        var updated = claim
        updated.spec.storageClassName = defaultClass.metadata.name
        _ = try await client.update(updated)
        return true
    }

    /// Hands the claim to its class's provisioner: an external one is named on the claim and
    /// waited for; `kubernetes.io/…` names Skiff has no plugin for fail, as upstream's
    /// unknown in-tree plugins do.
    private func provision(_ claim: CoreV1.PersistentVolumeClaim, className: String) async throws {
        guard let storageClass = classes.get(name: className) else {
            events.event(claim, type: .warning, reason: "ProvisioningFailed",
                         message: "storageclass.storage.k8s.io \"\(className)\" not found")
            return
        }
        let provisioner = storageClass.provisioner
        if provisioner.hasPrefix("kubernetes.io/") {
            events.event(claim, type: .warning, reason: "ProvisioningFailed",
                         message: "no volume plugin matched name: \(provisioner)")
            return
        }
        let annotations = claim.metadata.annotations ?? [:]
        if annotations[VolumeAnnotations.storageProvisioner] != provisioner
            || annotations[VolumeAnnotations.betaStorageProvisioner] != provisioner {
            var updated = claim
            updated.metadata.annotations = annotations.merging([
                VolumeAnnotations.storageProvisioner: provisioner, VolumeAnnotations.betaStorageProvisioner: provisioner,
            ]) { _, new in new }
            _ = try await client.update(updated)
        }
        events.event(claim, type: .normal, reason: "ExternalProvisioning", message:
            "Waiting for a volume to be created either by the external provisioner '\(provisioner)' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.")
    }

    /// Pods of the claim's namespace, not finished and not scheduled, that use it.
    private func podsWaiting(for claim: CoreV1.PersistentVolumeClaim) -> [String] {
        pods.list(namespace: claim.metadata.namespace ?? "").filter { pod in
            guard (pod.spec.nodeName ?? "").isEmpty, pod.status.phase != "Succeeded", pod.status.phase != "Failed" else { return false }
            return (pod.spec.volumes ?? []).contains { $0.persistentVolumeClaim?.claimName == claim.metadata.name }
        }.compactMap(\.metadata.name).sorted()
    }

    /// Why a user's pre-bound volume cannot take the claim (upstream's `checkVolumeSatisfyClaim`).
    static func mismatch(_ volume: CoreV1.PersistentVolume, _ claim: CoreV1.PersistentVolumeClaim) -> String? {
        if volume.metadata.deletionTimestamp != nil { return "the volume is marked for deletion \"\(volume.metadata.name ?? "")\"" }
        if volume.storageCapacity < claim.requestedStorage { return "requested PV is too small" }
        if volume.storageClass != claim.storageClass { return "storageClassName does not match" }
        if PersistentVolumeMatching.volumeModesDiffer(claim, volume) { return "incompatible volumeMode" }
        if !PersistentVolumeMatching.accessModesCovered(claim, volume) { return "incompatible accessMode" }
        return nil
    }

    private func setClaimPending(_ claim: CoreV1.PersistentVolumeClaim) async throws {
        guard claim.status.phase != "Pending" || claim.status.accessModes != nil || claim.status.capacity != nil else { return }
        var updated = claim
        updated.status.phase = "Pending"
        updated.status.accessModes = nil
        updated.status.capacity = nil
        _ = try await client.updateStatus(updated)
    }

    private func setClaimLost(_ claim: CoreV1.PersistentVolumeClaim, reason: String, message: String) async throws {
        guard claim.status.phase != "Lost" else { return }
        var updated = claim
        updated.status.phase = "Lost"
        _ = try await client.updateStatus(updated)
        events.event(claim, type: .warning, reason: reason, message: message)
    }
}
