import Foundation
import KubeModel

/// `kubectl get runtimeclasses`: NAME HANDLER AGE.
public struct RuntimeClassTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Handler", "handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class."),
        Printers.age,
    ]

    public func row(_ runtimeClass: NodeV1.RuntimeClass, now: Date) -> [JSONValue] {
        [.string(runtimeClass.metadata.name ?? ""), .string(runtimeClass.handler), Printers.age(runtimeClass, now: now)]
    }
}
