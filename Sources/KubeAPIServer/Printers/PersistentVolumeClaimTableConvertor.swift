import Foundation
import KubeModel

/// `kubectl get persistentvolumeclaims`: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS
/// VOLUMEATTRIBUTESCLASS AGE, wide VOLUMEMODE.
public struct PersistentVolumeClaimTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Status", "phase represents the current phase of PersistentVolumeClaim."),
        Printers.column("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        Printers.column("Capacity", "capacity represents the actual resources of the underlying volume."),
        Printers.column("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
        Printers.column("StorageClass", "StorageClass of the pvc"),
        Printers.column("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
        Printers.age,
        Printers.column("VolumeMode", "volumeMode defines what type of volume is required by the claim.", priority: 1),
    ]

    public func row(_ claim: CoreV1.PersistentVolumeClaim, now: Date) -> [JSONValue] {
        let spec = claim.spec
        let phase = claim.metadata.deletionTimestamp != nil ? "Terminating" : (claim.status.phase ?? "")
        let volumeName = spec.volumeName ?? ""
        // Capacity and access modes only once bound to a volume.
        var capacity = ""
        var accessModes = ""
        if !volumeName.isEmpty {
            accessModes = Printers.accessModes(claim.status.accessModes)
            capacity = (claim.status.capacity?["storage"] ?? .zero).description
        }
        return [
            .string(claim.metadata.name ?? ""),
            .string(phase),
            .string(volumeName),
            .string(capacity),
            .string(accessModes),
            .string(Printers.storageClass(annotations: claim.metadata.annotations, field: spec.storageClassName)),
            .string(spec.volumeAttributesClassName ?? Printers.unset),
            Printers.age(claim, now: now),
            .string(spec.volumeMode ?? Printers.unset),
        ]
    }
}
