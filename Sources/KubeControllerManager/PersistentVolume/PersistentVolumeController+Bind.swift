import KubeClient
import KubeComponentHelpers
import KubeModel

extension PersistentVolumeController {
    /// upstream's `bind`: the volume's `claimRef` (and `bound-by-controller` when the controller
    /// made the link), the volume's phase Bound, the claim's `volumeName` and `bind-completed`,
    /// then the claim's phase Bound with the volume's access modes and capacity. Each write only
    /// when it changes something.
    func bind(_ volume: CoreV1.PersistentVolume, _ claim: CoreV1.PersistentVolumeClaim) async throws {
        var volume = volume
        if let bound = volume.boundCopy(to: claim) { volume = try await client.update(bound) }
        if volume.status.phase != "Bound" {
            var updated = volume
            updated.status.phase = "Bound"
            updated.status.message = nil
            updated.status.reason = nil
            volume = try await client.updateStatus(updated)
        }
        var claim = claim
        let volumeName = volume.metadata.name ?? ""
        var updatedClaim = claim
        var annotations = claim.metadata.annotations ?? [:]
        if claim.spec.volumeName != volumeName {
            updatedClaim.spec.volumeName = volumeName
            if annotations[VolumeAnnotations.boundByController] == nil { annotations[VolumeAnnotations.boundByController] = "yes" }
        }
        if annotations[VolumeAnnotations.bindCompleted] == nil { annotations[VolumeAnnotations.bindCompleted] = "yes" }
        updatedClaim.metadata.annotations = annotations
        if updatedClaim != claim { claim = try await client.update(updatedClaim) }
        if claim.status.phase != "Bound" {
            var updated = claim
            updated.status.phase = "Bound"
            updated.status.accessModes = volume.spec.accessModes
            updated.status.capacity = volume.spec.capacity
            _ = try await client.updateStatus(updated)
        }
    }
}
