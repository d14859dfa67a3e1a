import Foundation
import KubeModel

/// `kubectl get servicecidrs`: NAME CIDRS AGE.
public struct ServiceCIDRTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("CIDRs", "CIDRs defines the IP blocks in CIDR notation from which to assign service cluster IPs."),
        Printers.age,
    ]

    public func row(_ cidr: NetworkingV1.ServiceCIDR, now: Date) -> [JSONValue] {
        [.string(cidr.metadata.name ?? ""), .string((cidr.spec.cidrs ?? []).joined(separator: ",")), Printers.age(cidr, now: now)]
    }
}
