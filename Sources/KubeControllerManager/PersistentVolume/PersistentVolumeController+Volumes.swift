import Foundation
import KubeClient
import KubeComponentHelpers
import KubeModel

extension PersistentVolumeController {
    /// upstream's `syncVolume`: a volume without a claim is Available; one whose claim is gone is
    /// Released and reclaimed; one its claim names is Bound; one its claim left is freed.
    func syncVolume(_ volume: CoreV1.PersistentVolume) async throws {
        guard let reference = volume.spec.claimRef, !(reference.uid ?? "").isEmpty else {
            try await setVolumePhase(volume, "Available")
            return
        }
        let namespace = reference.namespace ?? ""
        let name = reference.name ?? ""
        var claim = claims.get(namespace: namespace, name: name)
        if claim == nil || claim?.metadata.uid != reference.uid {
            // The informer may lag behind: ask the server before releasing the volume.
            claim = try? await client.get(CoreV1.PersistentVolumeClaim.self, namespace: namespace, name: name)
        }
        guard let claim, claim.metadata.uid == reference.uid else {
            try await releaseAndReclaim(volume)
            return
        }
        let claimVolume = claim.spec.volumeName ?? ""
        if claimVolume.isEmpty {
            if PersistentVolumeMatching.volumeModesDiffer(claim, volume) {
                events.event(volume, type: .warning, reason: "VolumeMismatch",
                             message: "Cannot bind PersistentVolume to requested PersistentVolumeClaim \"\(name)\" due to incompatible volumeMode.")
                events.event(claim, type: .warning, reason: "VolumeMismatch",
                             message: "Cannot bind PersistentVolume \"\(volume.metadata.name ?? "")\" to requested PersistentVolumeClaim due to incompatible volumeMode.")
                return
            }
            // The claim finishes the binding.
            queue.add(Key.claim(claim.claimKey).rawValue)
            return
        }
        if claimVolume == volume.metadata.name {
            try await setVolumePhase(volume, "Bound")
            return
        }
        // The claim is bound to another volume: this one is free again.
        var updated = volume
        if volume.metadata.annotations?[VolumeAnnotations.boundByController] != nil {
            updated.spec.claimRef = nil
            updated.metadata.annotations?[VolumeAnnotations.boundByController] = nil
        } else {
            updated.spec.claimRef?.uid = nil
        }
        let written = try await client.update(updated)
        try await setVolumePhase(written, "Available")
    }

    /// The claim is gone: Released, then the reclaim policy (upstream's `reclaimVolume`).
    private func releaseAndReclaim(_ volume: CoreV1.PersistentVolume) async throws {
        var volume = volume
        if volume.status.phase != "Released" && volume.status.phase != "Failed" {
            volume = try await setVolumePhase(volume, "Released")
        }
        switch volume.spec.persistentVolumeReclaimPolicy ?? "Retain" {
        case "Retain":
            return
        case "Delete":
            try await delete(volume)
        case "Recycle":
            try await fail(volume, reason: "VolumeFailedRecycle", message: "No recycler plugin found for the volume!")
        default:
            try await fail(volume, reason: "VolumeUnknownReclaimPolicy",
                           message: "Volume has unrecognized PersistentVolumeReclaimPolicy")
        }
    }

    /// Deletes a Released volume whose policy is Delete, as far as Skiff has a deleter: external
    /// provisioners and CSI drivers delete their own volumes; a hostPath under /tmp is removed;
    /// every other volume (local among them) fails.
    private func delete(_ volume: CoreV1.PersistentVolume) async throws {
        let name = volume.metadata.name ?? ""
        if let provisionedBy = volume.metadata.annotations?["pv.kubernetes.io/provisioned-by"],
           !provisionedBy.hasPrefix("kubernetes.io/") { return }
        if volume.spec.csi != nil { return }
        if let hostPath = volume.spec.hostPath {
            guard Self.deletableHostPath(hostPath.path) else {
                try await fail(volume, reason: "VolumeFailedDelete",
                               message: "host_path deleter only supports /tmp/.+ but received provided \(hostPath.path)")
                return
            }
            try? FileManager.default.removeItem(atPath: hostPath.path)
            try await client.delete(CoreV1.PersistentVolume.self, namespace: nil, name: name,
                                    DeleteOptions(preconditionUID: volume.metadata.uid))
            return
        }
        try await fail(volume, reason: "VolumeFailedDelete",
                       message: "error getting deleter volume plugin for volume \"\(name)\": no deletable volume plugin matched")
    }

    /// upstream's hostPath deleter pattern `/tmp/.+` (unanchored).
    static func deletableHostPath(_ path: String) -> Bool {
        guard let range = path.range(of: "/tmp/") else { return false }
        return range.upperBound < path.endIndex
    }

    private func fail(_ volume: CoreV1.PersistentVolume, reason: String, message: String) async throws {
        if volume.status.phase != "Failed" || volume.status.message != message {
            var updated = volume
            updated.status.phase = "Failed"
            updated.status.message = message
            _ = try await client.updateStatus(updated)
        }
        events.event(volume, type: .warning, reason: reason, message: message)
    }

    @discardableResult
    func setVolumePhase(_ volume: CoreV1.PersistentVolume, _ phase: String) async throws -> CoreV1.PersistentVolume {
        guard volume.status.phase != phase else { return volume }
        var updated = volume
        updated.status.phase = phase
        updated.status.message = nil
        updated.status.reason = nil
        return try await client.updateStatus(updated)
    }
}
