import KubeModel

/// The finalizers that keep claims and volumes in use from going (upstream's
/// StorageObjectInUseProtection), and what "in use" means.
public enum StorageProtection {
    public static let claimFinalizer = "kubernetes.io/pvc-protection"
    public static let volumeFinalizer = "kubernetes.io/pv-protection"

    /// A scheduled pod that has not finished uses the claim through a `persistentVolumeClaim`
    /// volume or a generic ephemeral volume of that name.
    public static func pod(_ pod: CoreV1.Pod, uses claim: CoreV1.PersistentVolumeClaim) -> Bool {
        guard pod.metadata.namespace == claim.metadata.namespace, !(pod.spec.nodeName ?? "").isEmpty,
              pod.status.phase != "Succeeded", pod.status.phase != "Failed" else { return false }
        let name = claim.metadata.name ?? ""
        return pod.claimNames.contains { $0.name == name }
    }
}
