import Foundation
import KubeModel

/// `kubectl get volumeattachments`: NAME ATTACHER PV NODE ATTACHED AGE.
public struct VolumeAttachmentTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        // Upstream marks this column as a name too.
        Printers.column("Attacher", "attacher indicates the name of the volume driver that MUST handle this request.", format: "name"),
        Printers.column("PV", "persistentVolumeName represents the name of the persistent volume to attach."),
        Printers.column("Node", "nodeName represents the node that the volume should be attached to."),
        Printers.column("Attached", "attached indicates the volume is successfully attached.", type: "boolean"),
        Printers.age,
    ]

    public func row(_ attachment: StorageV1.VolumeAttachment, now: Date) -> [JSONValue] {
        [
            .string(attachment.metadata.name ?? ""),
            .string(attachment.spec.attacher),
            .string(attachment.spec.source.persistentVolumeName ?? ""),
            .string(attachment.spec.nodeName),
            .bool(attachment.status.attached),
            Printers.age(attachment, now: now),
        ]
    }
}
