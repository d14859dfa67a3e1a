import Foundation
import KubeModel

/// `kubectl get csistoragecapacities`: NAME STORAGECLASSNAME CAPACITY.
public struct CSIStorageCapacityTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("StorageClassName", "storageClassName represents the name of the StorageClass that the reported capacity applies to."),
        Printers.column("Capacity", "capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields."),
    ]

    public func row(_ capacity: StorageV1.CSIStorageCapacity, now: Date) -> [JSONValue] {
        [
            .string(capacity.metadata.name ?? ""),
            .string(capacity.storageClassName),
            .string(capacity.capacity?.description ?? Printers.unset),
        ]
    }
}
