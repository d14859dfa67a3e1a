import Foundation
import KubeModel

/// metrics-server's table columns: Name, then each resource's usage (`cpu`, `memory`), then
/// `Window` — `kubectl get nodes.metrics.k8s.io` prints NAME CPU MEMORY WINDOW.
enum MetricsTableColumns {
    static let list: [TableColumnDefinition] = [
        Printers.column("Name", "Name of the resource", format: "name"),
        Printers.column("cpu", "", format: "quantity"),
        Printers.column("memory", "", format: "quantity"),
        Printers.column("Window", "", format: "duration"),
    ]

    static func row(name: String, usage: [String: Quantity], window: String) -> [JSONValue] {
        [.string(name), .string(usage["cpu"]?.description ?? "0"), .string(usage["memory"]?.description ?? "0"), .string(window)]
    }
}

/// NodeMetrics rows.
public struct NodeMetricsTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { MetricsTableColumns.list }

    public func row(_ metrics: MetricsV1beta1.NodeMetrics, now: Date) -> [JSONValue] {
        MetricsTableColumns.row(name: metrics.metadata.name ?? "", usage: metrics.usage, window: metrics.window)
    }
}

/// PodMetrics rows: the usage summed over the pod's containers.
public struct PodMetricsTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { MetricsTableColumns.list }

    public func row(_ metrics: MetricsV1beta1.PodMetrics, now: Date) -> [JSONValue] {
        var usage: [String: Quantity] = [:]
        for container in metrics.containers {
            for (resource, quantity) in container.usage { usage[resource] = (usage[resource] ?? .zero) + quantity }
        }
        return MetricsTableColumns.row(name: metrics.metadata.name ?? "", usage: usage, window: metrics.window)
    }
}
