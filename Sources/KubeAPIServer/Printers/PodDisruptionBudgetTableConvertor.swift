import Foundation
import KubeModel

/// `kubectl get poddisruptionbudgets`: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE.
public struct PodDisruptionBudgetTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Min Available", "The minimum number of pods that must be available."),
        Printers.column("Max Unavailable", "The maximum number of pods that may be unavailable."),
        Printers.column("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", type: "integer"),
        Printers.age,
    ]

    public func row(_ budget: PolicyV1.PodDisruptionBudget, now: Date) -> [JSONValue] {
        [
            .string(budget.metadata.name ?? ""),
            .string(budget.spec.minAvailable?.description ?? "N/A"),
            .string(budget.spec.maxUnavailable?.description ?? "N/A"),
            Printers.int(budget.status.disruptionsAllowed),
            Printers.age(budget, now: now),
        ]
    }
}
