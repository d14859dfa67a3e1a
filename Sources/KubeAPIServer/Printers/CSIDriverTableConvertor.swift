import Foundation
import KubeModel

/// `kubectl get csidrivers`: NAME ATTACHREQUIRED PODINFOONMOUNT STORAGECAPACITY TOKENREQUESTS
/// REQUIRESREPUBLISH MODES AGE.
public struct CSIDriverTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("AttachRequired", "attachRequired indicates this CSI volume driver requires an attach operation.", type: "boolean"),
        Printers.column("PodInfoOnMount", "podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.", type: "boolean"),
        Printers.column("StorageCapacity", "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report.", type: "boolean"),
        Printers.column("TokenRequests", "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for."),
        Printers.column("RequiresRepublish", "requiresRepublish indicates the CSI driver wants NodePublishVolume being periodically called.", type: "boolean"),
        Printers.column("Modes", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports."),
        Printers.age,
    ]

    public func row(_ driver: StorageV1.CSIDriver, now: Date) -> [JSONValue] {
        let spec = driver.spec
        let modes = (spec.volumeLifecycleModes ?? []).joined(separator: ",")
        let tokenRequests = spec.tokenRequests.map { $0.map(\.audience).joined(separator: ",") } ?? Printers.unset
        return [
            .string(driver.metadata.name ?? ""),
            .bool(spec.attachRequired ?? true),
            .bool(spec.podInfoOnMount ?? false),
            .bool(spec.storageCapacity ?? false),
            .string(tokenRequests),
            .bool(spec.requiresRepublish ?? false),
            .string(modes.isEmpty ? Printers.none : modes),
            Printers.age(driver, now: now),
        ]
    }
}
