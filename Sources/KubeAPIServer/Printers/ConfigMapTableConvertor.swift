import Foundation
import KubeModel

/// `kubectl get configmaps`: NAME DATA AGE.
public struct ConfigMapTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Data", "Data contains the configuration data."),
        Printers.age,
    ]

    public func row(_ configMap: CoreV1.ConfigMap, now: Date) -> [JSONValue] {
        [
            .string(configMap.metadata.name ?? ""),
            Printers.int((configMap.data?.count ?? 0) + (configMap.binaryData?.count ?? 0)),
            Printers.age(configMap, now: now),
        ]
    }
}
