import Foundation
import KubeModel

/// `kubectl get statefulsets`: NAME READY AGE, wide CONTAINERS IMAGES.
public struct StatefulSetTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Ready", "Number of the pod with ready state"),
        Printers.age,
        Printers.containers,
        Printers.images,
    ]

    public func row(_ statefulSet: AppsV1.StatefulSet, now: Date) -> [JSONValue] {
        [
            .string(statefulSet.metadata.name ?? ""),
            .string("\(statefulSet.status.readyReplicas ?? 0)/\(statefulSet.spec.replicas ?? 0)"),
            Printers.age(statefulSet, now: now),
        ] + Printers.templateCells(statefulSet.spec.template)
    }
}
