import Foundation
import KubeModel

/// `kubectl get componentstatuses`: NAME STATUS MESSAGE ERROR.
public struct ComponentStatusTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Status", "Status of the component conditions"),
        Printers.column("Message", "Message of the component conditions"),
        Printers.column("Error", "Error of the component conditions"),
    ]

    public func row(_ component: CoreV1.ComponentStatus, now: Date) -> [JSONValue] {
        var status = "Unknown", message = "", error = ""
        if let healthy = component.conditions?.first(where: { $0.type == "Healthy" }) {
            status = healthy.status == "True" ? "Healthy" : "Unhealthy"
            message = healthy.message ?? ""
            error = healthy.error ?? ""
        }
        return [.string(component.metadata.name ?? ""), .string(status), .string(message), .string(error)]
    }
}
