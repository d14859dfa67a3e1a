import Foundation
import KubeModel

/// `kubectl get leases`: NAME HOLDER AGE.
public struct LeaseTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Holder", "holderIdentity contains the identity of the holder of a current lease."),
        Printers.age,
    ]

    public func row(_ lease: CoordinationV1.Lease, now: Date) -> [JSONValue] {
        [.string(lease.metadata.name ?? ""), .string(lease.spec.holderIdentity ?? ""), Printers.age(lease, now: now)]
    }
}
