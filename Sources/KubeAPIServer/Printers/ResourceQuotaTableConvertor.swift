import Foundation
import KubeModel

/// `kubectl get resourcequotas`: NAME REQUEST LIMIT AGE, each `resource: used/hard`.
public struct ResourceQuotaTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
        Printers.column("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        Printers.age,
    ]

    public func row(_ quota: CoreV1.ResourceQuota, now: Date) -> [JSONValue] {
        let hard = quota.status.hard ?? [:]
        let used = quota.status.used ?? [:]
        var requests: [String] = []
        var limits: [String] = []
        for resource in hard.keys.sorted() {
            let entry = "\(resource): \((used[resource] ?? .zero).description)/\(hard[resource]!.description)"
            // `limits.cpu` and the like go to LIMIT, everything else to REQUEST.
            let pieces = resource.split(separator: ".", omittingEmptySubsequences: false)
            if pieces.count > 1 && pieces[0] == "limits" {
                limits.append(entry)
            } else {
                requests.append(entry)
            }
        }
        return [
            .string(quota.metadata.name ?? ""),
            .string(requests.joined(separator: ", ")),
            .string(limits.joined(separator: ", ")),
            Printers.age(quota, now: now),
        ]
    }
}
