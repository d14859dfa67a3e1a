import Foundation
import KubeModel

/// `kubectl get csinodes`: NAME DRIVERS AGE.
public struct CSINodeTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Drivers", "Drivers indicates the number of CSI drivers registered on the node", type: "integer"),
        Printers.age,
    ]

    public func row(_ node: StorageV1.CSINode, now: Date) -> [JSONValue] {
        [.string(node.metadata.name ?? ""), Printers.int(node.spec.drivers.count), Printers.age(node, now: now)]
    }
}
