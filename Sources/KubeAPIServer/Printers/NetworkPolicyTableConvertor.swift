import Foundation
import KubeModel

/// `kubectl get networkpolicies`: NAME POD-SELECTOR AGE.
public struct NetworkPolicyTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Pod-Selector", "podSelector selects the pods to which this NetworkPolicy object applies."),
        Printers.age,
    ]

    public func row(_ policy: NetworkingV1.NetworkPolicy, now: Date) -> [JSONValue] {
        // The selector is a required (non-pointer) field upstream: absent means empty, `<none>`.
        [
            .string(policy.metadata.name ?? ""),
            .string(Printers.formatLabelSelector(policy.spec.podSelector ?? MetaV1.LabelSelector())),
            Printers.age(policy, now: now),
        ]
    }
}
