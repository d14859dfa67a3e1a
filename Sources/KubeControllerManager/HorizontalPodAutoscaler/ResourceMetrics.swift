import Foundation
import KubeModel

/// One pod's usage of the resource a metric names, in milli-units (upstream `PodMetric`).
struct PodMetric: Sendable, Equatable {
    var timestamp: Date
    var window: Duration
    var value: Int64
}

/// Usage per pod name (upstream `PodMetricsInfo`).
typealias PodMetricsInfo = [String: PodMetric]

/// Turns PodMetrics into per-pod usage of one resource (upstream `GetResourceMetric`).
enum ResourceMetrics {
    /// The window upstream assumes when none is given (`metricServerDefaultMetricWindow`).
    static let defaultWindow: Duration = .seconds(60)

    struct NoMetricsError: Error, CustomStringConvertible {
        var description: String { "no metrics returned from resource metrics API" }
    }

    struct FetchError: Error, CustomStringConvertible {
        var underlying: any Error
        var description: String { "unable to fetch metrics from resource metrics API: \(HorizontalPodAutoscalerController.text(underlying))" }
    }

    /// Usage of `resource` per pod, summed over its containers (or of `container` alone), and
    /// the first item's timestamp. Pods missing a container's usage are left out.
    static func fetch(_ source: any ResourceMetricsSource, resource: String, namespace: String,
                      selector: Labels.Selector, container: String) async throws -> (PodMetricsInfo, Date) {
        let items: [MetricsV1beta1.PodMetrics]
        do {
            items = try await source.podMetrics(namespace: namespace, selector: selector)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw FetchError(underlying: error)
        }
        guard let first = items.first else { throw NoMetricsError() }
        let info = container.isEmpty ? podUsage(items, resource: resource) : containerUsage(items, resource: resource, container: container)
        return (info, first.timestamp.date)
    }

    static func podUsage(_ items: [MetricsV1beta1.PodMetrics], resource: String) -> PodMetricsInfo {
        var result = PodMetricsInfo()
        for item in items {
            var sum: Int64 = 0
            var missing = item.containers.isEmpty
            for container in item.containers {
                guard let usage = container.usage[resource] else {
                    missing = true
                    break
                }
                sum += usage.milliValue
            }
            if !missing {
                result[item.metadata.name ?? ""] = PodMetric(timestamp: item.timestamp.date, window: window(item), value: sum)
            }
        }
        return result
    }

    static func containerUsage(_ items: [MetricsV1beta1.PodMetrics], resource: String, container: String) -> PodMetricsInfo {
        var result = PodMetricsInfo()
        for item in items {
            guard let match = item.containers.first(where: { $0.name == container }),
                  let usage = match.usage[resource] else { continue }
            result[item.metadata.name ?? ""] = PodMetric(timestamp: item.timestamp.date, window: window(item), value: usage.milliValue)
        }
        return result
    }

    /// The metric's window (a Go duration such as `20s`, `1m30s`, `500ms`).
    static func window(_ item: MetricsV1beta1.PodMetrics) -> Duration {
        parseGoDuration(item.window) ?? defaultWindow
    }

    static func parseGoDuration(_ text: String) -> Duration? {
        var total: Double = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return .zero }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            case "ms": scale = 0.001
            case "us", "µs": scale = 0.000_001
            case "ns": scale = 0.000_000_001
            default: return nil
            }
            total += value * scale
        }
        return .milliseconds(Int64((total * 1000).rounded()))
    }
}
