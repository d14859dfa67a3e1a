import Foundation
import KubeModel

/// `kubectl get podtemplates`: NAME CONTAINERS IMAGES POD LABELS.
public struct PodTemplateTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Containers", "Names of each container in the template."),
        Printers.column("Images", "Images referenced by each container in the template."),
        Printers.column("Pod Labels", "The labels for the pod template."),
    ]

    public func row(_ template: CoreV1.PodTemplate, now: Date) -> [JSONValue] {
        [.string(template.metadata.name ?? "")] + Printers.templateCells(template.template) + [
            .string(Printers.formatLabels(template.template?.metadata?.labels)),
        ]
    }
}
