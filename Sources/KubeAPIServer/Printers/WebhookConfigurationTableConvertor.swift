import Foundation
import KubeModel

/// `kubectl get mutatingwebhookconfigurations` / `validatingwebhookconfigurations`: NAME WEBHOOKS AGE.
public struct WebhookConfigurationTableConvertor: TableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration", type: "integer"),
        Printers.age,
    ]

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        let count: Int
        switch object {
        case let configuration as AdmissionregistrationV1.MutatingWebhookConfiguration:
            count = configuration.webhooks?.count ?? 0
        case let configuration as AdmissionregistrationV1.ValidatingWebhookConfiguration:
            count = configuration.webhooks?.count ?? 0
        default:
            return Printers.placeholderRow(for: object, columns: columns, now: now)
        }
        return [.string(object.metadata.name ?? ""), Printers.int(count), Printers.age(object, now: now)]
    }
}
