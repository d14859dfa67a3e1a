import Foundation
import KubeModel

/// `kubectl get replicationcontrollers`: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR.
public struct ReplicationControllerTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Desired", "Replicas is the number of desired replicas.", type: "integer"),
        Printers.column("Current", "Replicas is the most recently observed number of replicas.", type: "integer"),
        Printers.column("Ready", "The number of ready replicas for this replication controller.", type: "integer"),
        Printers.age,
        Printers.containers,
        Printers.images,
        Printers.selector("Selector is a label query over pods that should match the Replicas count."),
    ]

    public func row(_ controller: CoreV1.ReplicationController, now: Date) -> [JSONValue] {
        [
            .string(controller.metadata.name ?? ""),
            Printers.int(controller.spec.replicas),
            Printers.int(controller.status.replicas),
            Printers.int(controller.status.readyReplicas),
            Printers.age(controller, now: now),
        ] + Printers.templateCells(controller.spec.template) + [
            .string(Printers.formatLabels(controller.spec.selector)),
        ]
    }
}
