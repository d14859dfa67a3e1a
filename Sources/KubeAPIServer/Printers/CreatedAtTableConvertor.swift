import Foundation
import KubeModel

/// NAME and CREATED AT (RFC 3339, UTC): upstream's default table for built-in resources without
/// their own printer (roles, clusterroles, limitranges, customresourcedefinitions).
public struct CreatedAtTableConvertor: TableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        TableColumnDefinition(name: "Created At", type: "date", description: DefaultTableConvertor.ageColumn.description),
    ]

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        // An unset timestamp prints as Go's zero time.
        let created = object.metadata.creationTimestamp?.rfc3339 ?? "0001-01-01T00:00:00Z"
        return [.string(object.metadata.name ?? ""), .string(created)]
    }
}
