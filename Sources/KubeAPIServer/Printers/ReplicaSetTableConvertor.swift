import Foundation
import KubeModel

/// `kubectl get replicasets`: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR.
public struct ReplicaSetTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Desired", "Replicas is the number of desired pods.", type: "integer"),
        Printers.column("Current", "Replicas is the most recently observed number of non-terminating pods.", type: "integer"),
        Printers.column("Ready", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.", type: "integer"),
        Printers.age,
        Printers.containers,
        Printers.images,
        Printers.selector("Selector is a label query over pods that should match the replica count."),
    ]

    public func row(_ replicaSet: AppsV1.ReplicaSet, now: Date) -> [JSONValue] {
        [
            .string(replicaSet.metadata.name ?? ""),
            Printers.int(replicaSet.spec.replicas),
            Printers.int(replicaSet.status.replicas),
            Printers.int(replicaSet.status.readyReplicas),
            Printers.age(replicaSet, now: now),
        ] + Printers.templateCells(replicaSet.spec.template) + [
            .string(Printers.formatLabelSelector(replicaSet.spec.selector)),
        ]
    }
}
