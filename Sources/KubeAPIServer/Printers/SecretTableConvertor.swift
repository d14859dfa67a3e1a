import Foundation
import KubeModel

/// `kubectl get secrets`: NAME TYPE DATA AGE.
public struct SecretTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Type", "Used to facilitate programmatic handling of secret data."),
        Printers.column("Data", "Data contains the secret data."),
        Printers.age,
    ]

    public func row(_ secret: CoreV1.Secret, now: Date) -> [JSONValue] {
        [
            .string(secret.metadata.name ?? ""),
            .string(secret.type ?? ""),
            Printers.int(secret.data?.count ?? 0),
            Printers.age(secret, now: now),
        ]
    }
}
