import Foundation
import KubeModel

/// `kubectl get priorityclasses`: NAME VALUE GLOBAL-DEFAULT AGE, wide PREEMPTIONPOLICY.
public struct PriorityClassTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Value", "value represents the integer value of this priority class.", type: "integer"),
        Printers.column("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.", type: "boolean"),
        Printers.age,
        Printers.column("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority.", priority: 1),
    ]

    public func row(_ priorityClass: SchedulingV1.PriorityClass, now: Date) -> [JSONValue] {
        [
            .string(priorityClass.metadata.name ?? ""),
            Printers.int(priorityClass.value),
            .bool(priorityClass.globalDefault ?? false),
            Printers.age(priorityClass, now: now),
            .string(priorityClass.preemptionPolicy ?? ""),
        ]
    }
}
