import Foundation
import KubeModel

/// `kubectl get controllerrevisions`: NAME CONTROLLER REVISION AGE.
public struct ControllerRevisionTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Controller", "Controller of the object"),
        Printers.column("Revision", "Revision indicates the revision of the state represented by Data."),
        Printers.age,
    ]

    public func row(_ revision: AppsV1.ControllerRevision, now: Date) -> [JSONValue] {
        [
            .string(revision.metadata.name ?? ""),
            .string(Self.controller(of: revision.metadata)),
            .int(revision.revision),
            Printers.age(revision, now: now),
        ]
    }

    /// `daemonset.apps/foo` for the controlling owner reference, `<none>` without one.
    static func controller(of metadata: MetaV1.ObjectMeta) -> String {
        guard let owner = metadata.ownerReferences?.first(where: { $0.controller == true }) else { return Printers.none }
        // The group is the part of `apiVersion` before the slash (none for the core group).
        let parts = owner.apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        let group = parts.count == 2 ? String(parts[0]) : ""
        if group.isEmpty && owner.kind.isEmpty { return owner.name }
        let groupKind = group.isEmpty ? owner.kind : "\(owner.kind).\(group)"
        return groupKind.lowercased() + "/" + owner.name
    }
}
