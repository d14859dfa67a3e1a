import KubeModel

/// Which StorageClass claims without a class get (upstream `GetDefaultClass`): of the classes
/// annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the beta annotation),
/// the newest; equal creation times go to the name first in order.
public enum DefaultStorageClass {
    public static func isDefault(_ storageClass: StorageV1.StorageClass) -> Bool {
        storageClass.metadata.annotations?[VolumeAnnotations.isDefaultClass] == "true"
            || storageClass.metadata.annotations?[VolumeAnnotations.betaIsDefaultClass] == "true"
    }

    public static func choose(from classes: [StorageV1.StorageClass]) -> StorageV1.StorageClass? {
        classes.filter(isDefault).max { a, b in
            let (ta, tb) = (a.metadata.creationTimestamp?.date, b.metadata.creationTimestamp?.date)
            if ta != tb { return (ta ?? .distantPast) < (tb ?? .distantPast) }
            return (a.metadata.name ?? "") > (b.metadata.name ?? "")
        }
    }

    /// The claim names no class at all (no `storageClassName`, no beta annotation); an explicit
    /// `""` means "no class" and is not defaulted.
    public static func needsClass(_ claim: CoreV1.PersistentVolumeClaim) -> Bool {
        claim.spec.storageClassName == nil && claim.metadata.annotations?[VolumeAnnotations.betaStorageClass] == nil
    }
}
