import Foundation
import KubeModel

/// `kubectl get storageclasses`: NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE
/// ALLOWVOLUMEEXPANSION AGE; the default class is named `<name> (default)`.
public struct StorageClassTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Provisioner", "provisioner indicates the type of the provisioner."),
        Printers.column("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
        Printers.column("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
        Printers.column("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
        Printers.age,
    ]

    public func row(_ storageClass: StorageV1.StorageClass, now: Date) -> [JSONValue] {
        var name = storageClass.metadata.name ?? ""
        if Self.isDefault(storageClass.metadata.annotations) { name += " (default)" }
        return [
            .string(name),
            .string(storageClass.provisioner),
            .string(storageClass.reclaimPolicy ?? "Delete"),
            .string(storageClass.volumeBindingMode ?? "Immediate"),
            .bool(storageClass.allowVolumeExpansion ?? false),
            Printers.age(storageClass, now: now),
        ]
    }

    /// The GA or beta default-class annotation set to `true`.
    static func isDefault(_ annotations: [String: String]?) -> Bool {
        annotations?["storageclass.kubernetes.io/is-default-class"] == "true"
            || annotations?["storageclass.beta.kubernetes.io/is-default-class"] == "true"
    }
}
