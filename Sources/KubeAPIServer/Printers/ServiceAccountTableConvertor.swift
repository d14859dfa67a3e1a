import Foundation
import KubeModel

/// `kubectl get serviceaccounts`: NAME SECRETS AGE.
public struct ServiceAccountTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        Printers.age,
    ]

    public func row(_ account: CoreV1.ServiceAccount, now: Date) -> [JSONValue] {
        [.string(account.metadata.name ?? ""), Printers.int(account.secrets?.count ?? 0), Printers.age(account, now: now)]
    }
}
