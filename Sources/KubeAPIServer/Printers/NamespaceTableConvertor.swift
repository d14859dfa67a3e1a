import Foundation
import KubeModel

/// `kubectl get namespaces`: NAME STATUS AGE.
public struct NamespaceTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Status", "The status of the namespace"),
        Printers.age,
    ]

    public func row(_ namespace: CoreV1.Namespace, now: Date) -> [JSONValue] {
        [.string(namespace.metadata.name ?? ""), .string(namespace.status.phase ?? ""), Printers.age(namespace, now: now)]
    }
}
