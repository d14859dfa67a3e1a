import KubeComponentHelpers
import KubeModel

/// The StorageObjectInUseProtection admission plugin: new PersistentVolumeClaims get the
/// `kubernetes.io/pvc-protection` finalizer and new PersistentVolumes `kubernetes.io/pv-protection`,
/// so deleting one that a pod or a claim still uses waits until the protection controllers see
/// it unused.
extension ResourceRegistry {
    func admitStorageProtection(_ object: inout any KubeObject, resource: KubeResource) {
        guard resource.group.isEmpty else { return }
        let finalizer: String
        switch resource.resource {
        case "persistentvolumeclaims": finalizer = StorageProtection.claimFinalizer
        case "persistentvolumes": finalizer = StorageProtection.volumeFinalizer
        default: return
        }
        var finalizers = object.metadata.finalizers ?? []
        guard !finalizers.contains(finalizer) else { return }
        finalizers.append(finalizer)
        object.metadata.finalizers = finalizers
    }
}
