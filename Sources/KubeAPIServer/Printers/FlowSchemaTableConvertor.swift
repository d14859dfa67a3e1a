import Foundation
import KubeModel

/// `kubectl get flowschemas`: NAME PRIORITYLEVEL MATCHINGPRECEDENCE DISTINGUISHERMETHOD AGE MISSINGPL.
public struct FlowSchemaTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("PriorityLevel", "name is the name of the priority level configuration being referenced."),
        Printers.column("MatchingPrecedence", "matchingPrecedence is used to choose among the FlowSchemas that match a given request."),
        Printers.column("DistinguisherMethod", "distinguisherMethod defines how to compute the flow distinguisher for requests that match this schema."),
        Printers.age,
        Printers.column("MissingPL", "references a broken or non-existent PriorityLevelConfiguration"),
    ]

    public func row(_ schema: FlowcontrolV1.FlowSchema, now: Date) -> [JSONValue] {
        let dangling = schema.status.conditions?.first { $0.type == "Dangling" }
        return [
            .string(schema.metadata.name ?? ""),
            .string(schema.spec.priorityLevelConfiguration.name),
            Printers.int(schema.spec.matchingPrecedence),
            .string(schema.spec.distinguisherMethod?.type ?? Printers.none),
            Printers.age(schema, now: now),
            .string(dangling.map { $0.status ?? "" } ?? "?"),
        ]
    }
}
