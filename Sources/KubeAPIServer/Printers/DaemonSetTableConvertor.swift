import Foundation
import KubeModel

/// `kubectl get daemonsets`: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE,
/// wide CONTAINERS IMAGES SELECTOR.
public struct DaemonSetTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Desired", "The total number of nodes that should be running the daemon pod.", type: "integer"),
        Printers.column("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.", type: "integer"),
        Printers.column("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.", type: "integer"),
        Printers.column("Up-to-date", "The total number of nodes that are running updated daemon pod.", type: "integer"),
        Printers.column("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", type: "integer"),
        Printers.column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        Printers.age,
        Printers.containers,
        Printers.images,
        Printers.selector("A label query over pods that are managed by the daemon set."),
    ]

    public func row(_ daemonSet: AppsV1.DaemonSet, now: Date) -> [JSONValue] {
        let status = daemonSet.status
        return [
            .string(daemonSet.metadata.name ?? ""),
            Printers.int(status.desiredNumberScheduled),
            Printers.int(status.currentNumberScheduled),
            Printers.int(status.numberReady),
            Printers.int(status.updatedNumberScheduled),
            Printers.int(status.numberAvailable),
            .string(Printers.formatLabels(daemonSet.spec.template.spec?.nodeSelector)),
            Printers.age(daemonSet, now: now),
        ] + Printers.templateCells(daemonSet.spec.template) + [
            .string(Printers.formatLabelSelector(daemonSet.spec.selector)),
        ]
    }
}
