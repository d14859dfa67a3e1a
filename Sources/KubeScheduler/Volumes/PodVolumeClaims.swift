import KubeComponentHelpers
import KubeModel

/// A pod's claims as VolumeBinding sorts them (upstream's `PodVolumeClaims` and
/// `podHasPVCs`), with what Filter needs looked up once per cycle.
struct PodVolumeClaims: Sendable {
    /// Fully bound claims with their volume (nil when the volume does not exist).
    var bound: [(claim: CoreV1.PersistentVolumeClaim, volume: CoreV1.PersistentVolume?)] = []
    /// Other claims not fully bound: of a class that binds immediately, or naming their volume
    /// already (the PV controller binds those).
    var unboundImmediate: [CoreV1.PersistentVolumeClaim] = []
    /// Unbound claims of a WaitForFirstConsumer class: the scheduler picks their volume.
    var unboundDelayBinding: [CoreV1.PersistentVolumeClaim] = []
    /// The volumes of each class the delayed claims ask for.
    var volumesByClass: [String: [CoreV1.PersistentVolume]] = [:]
    /// The delayed claims' classes.
    var classes: [String: StorageV1.StorageClass] = [:]

    var isEmpty: Bool { bound.isEmpty && unboundImmediate.isEmpty && unboundDelayBinding.isEmpty }

    /// Why the claims rule the pod out everywhere (upstream's PreFilter errors).
    enum Failure: Error, Equatable {
        case unresolvable(String)
    }

    /// Sorts the pod's claims; nil when the pod uses no claim.
    static func of(_ pod: CoreV1.Pod, in catalog: any VolumeCatalog) throws(Failure) -> PodVolumeClaims? {
        let names = pod.claimNames
        if names.isEmpty { return nil }
        let namespace = pod.metadata.namespace ?? ""
        var result = PodVolumeClaims()
        for (name, ephemeral) in names {
            guard let claim = catalog.claim(namespace: namespace, name: name) else {
                throw .unresolvable(ephemeral
                    ? "waiting for ephemeral volume controller to create the persistentvolumeclaim \"\(name)\""
                    : "persistentvolumeclaim \"\(name)\" not found")
            }
            if claim.status.phase == "Lost" {
                throw .unresolvable("persistentvolumeclaim \"\(name)\" bound to non-existent persistentvolume \"\(claim.spec.volumeName ?? "")\"")
            }
            if claim.metadata.deletionTimestamp != nil {
                throw .unresolvable("persistentvolumeclaim \"\(name)\" is being deleted")
            }
            if ephemeral, !isOwned(claim, by: pod) {
                throw .unresolvable("PVC \(namespace)/\(name) was not created for pod \(namespace)/\(pod.metadata.name ?? "") (pod is not owner)")
            }
            if claim.isFullyBound {
                result.bound.append((claim, catalog.volume(named: claim.spec.volumeName ?? "")))
                continue
            }
            let className = claim.storageClass
            if (claim.spec.volumeName ?? "").isEmpty, !className.isEmpty, let storageClass = catalog.storageClass(named: className),
               storageClass.volumeBindingMode == VolumeAnnotations.waitForFirstConsumer {
                result.unboundDelayBinding.append(claim)
                result.classes[className] = storageClass
                if result.volumesByClass[className] == nil {
                    result.volumesByClass[className] = catalog.volumes().filter { $0.storageClass == className }
                }
            } else {
                result.unboundImmediate.append(claim)
            }
        }
        return result
    }

    /// The claim's controller owner reference is the pod.
    private static func isOwned(_ claim: CoreV1.PersistentVolumeClaim, by pod: CoreV1.Pod) -> Bool {
        (claim.metadata.ownerReferences ?? []).contains { $0.controller == true && $0.uid == pod.metadata.uid }
    }
}
