import Foundation
import KubeModel

/// `kubectl get persistentvolumes`: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM
/// STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE, wide VOLUMEMODE.
public struct PersistentVolumeTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
        Printers.column("Access Modes", "accessModes contains all ways the volume can be mounted."),
        Printers.column("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
        Printers.column("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
        Printers.column("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
        Printers.column("StorageClass", "StorageClass of the pv"),
        Printers.column("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
        Printers.column("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        Printers.age,
        Printers.column("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", priority: 1),
    ]

    public func row(_ volume: CoreV1.PersistentVolume, now: Date) -> [JSONValue] {
        let spec = volume.spec
        var claim = ""
        if let reference = spec.claimRef { claim = (reference.namespace ?? "") + "/" + (reference.name ?? "") }
        let phase = volume.metadata.deletionTimestamp != nil ? "Terminating" : (volume.status.phase ?? "")
        return [
            .string(volume.metadata.name ?? ""),
            .string((spec.capacity?["storage"] ?? .zero).description),
            .string(Printers.accessModes(spec.accessModes)),
            .string(spec.persistentVolumeReclaimPolicy ?? ""),
            .string(phase),
            .string(claim),
            .string(Printers.storageClass(annotations: volume.metadata.annotations, field: spec.storageClassName)),
            .string(spec.volumeAttributesClassName ?? Printers.unset),
            .string(volume.status.reason ?? ""),
            Printers.age(volume, now: now),
            .string(spec.volumeMode ?? Printers.unset),
        ]
    }
}
