import Foundation
import KubeModel

/// `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR.
public struct DeploymentTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Ready", "Number of the pod with ready state"),
        Printers.column("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        Printers.column("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        Printers.age,
        Printers.containers,
        Printers.images,
        Printers.selector("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."),
    ]

    public func row(_ deployment: AppsV1.Deployment, now: Date) -> [JSONValue] {
        let status = deployment.status
        return [
            .string(deployment.metadata.name ?? ""),
            .string("\(status.readyReplicas ?? 0)/\(deployment.spec.replicas ?? 0)"),
            Printers.int(status.updatedReplicas),
            Printers.int(status.availableReplicas),
            Printers.age(deployment, now: now),
        ] + Printers.templateCells(deployment.spec.template) + [
            .string(Printers.selectorString(deployment.spec.selector)),
        ]
    }
}
