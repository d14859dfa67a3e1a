/// Annotation keys and well-known values of persistent volume binding (component-helpers
/// `storage/volume`).
public enum VolumeAnnotations {
    /// On a claim: the PV controller finished binding it (`"yes"`).
    public static let bindCompleted = "pv.kubernetes.io/bind-completed"
    /// On a claim or volume: the binding was made by a controller, not by the user (`"yes"`).
    public static let boundByController = "pv.kubernetes.io/bound-by-controller"
    /// On a claim: the node the scheduler chose, for provisioning (WaitForFirstConsumer).
    public static let selectedNode = "volume.kubernetes.io/selected-node"
    /// On a claim: the provisioner expected to provision it.
    public static let storageProvisioner = "volume.kubernetes.io/storage-provisioner"
    public static let betaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner"
    /// On a claim or volume: the beta storage class annotation, read before `storageClassName`.
    public static let betaStorageClass = "volume.beta.kubernetes.io/storage-class"
    /// On a StorageClass: the class claims without one get (`"true"`).
    public static let isDefaultClass = "storageclass.kubernetes.io/is-default-class"
    public static let betaIsDefaultClass = "storageclass.beta.kubernetes.io/is-default-class"
    /// A StorageClass provisioner that provisions nothing (local volumes are created by hand).
    public static let noProvisioner = "kubernetes.io/no-provisioner"
    /// A StorageClass `volumeBindingMode` that binds only once a pod using the claim is scheduled.
    public static let waitForFirstConsumer = "WaitForFirstConsumer"
}
