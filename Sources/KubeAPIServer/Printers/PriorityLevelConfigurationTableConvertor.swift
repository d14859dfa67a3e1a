import Foundation
import KubeModel

/// `kubectl get prioritylevelconfigurations`: NAME TYPE NOMINALCONCURRENCYSHARES QUEUES HANDSIZE
/// QUEUELENGTHLIMIT AGE.
public struct PriorityLevelConfigurationTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Type", "type indicates whether this priority level is subject to limitation on request execution."),
        Printers.column("NominalConcurrencyShares", "nominalConcurrencyShares (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level."),
        Printers.column("Queues", "queues is the number of queues for this priority level."),
        Printers.column("HandSize", "handSize is a small positive number that configures the shuffle sharding of requests into queues."),
        Printers.column("QueueLengthLimit", "queueLengthLimit is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time."),
        Printers.age,
    ]

    public func row(_ level: FlowcontrolV1.PriorityLevelConfiguration, now: Date) -> [JSONValue] {
        let none = JSONValue.string(Printers.none)
        var shares = none, queues = none, handSize = none, queueLengthLimit = none
        if let limited = level.spec.limited {
            shares = Printers.int(limited.nominalConcurrencyShares)
            if let queuing = limited.limitResponse?.queuing {
                queues = Printers.int(queuing.queues)
                handSize = Printers.int(queuing.handSize)
                queueLengthLimit = Printers.int(queuing.queueLengthLimit)
            }
        }
        return [.string(level.metadata.name ?? ""), .string(level.spec.type), shares, queues, handSize,
                queueLengthLimit, Printers.age(level, now: now)]
    }
}
