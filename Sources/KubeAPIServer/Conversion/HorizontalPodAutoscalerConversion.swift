import Foundation
import KubeModel

/// autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscalers, as upstream converts them
/// (`pkg/apis/autoscaling/v1/conversion.go`): v1 carries one CPU utilization target; whatever
/// else v2 holds (other metrics, current metrics, conditions, behavior) rides along in v1 as
/// JSON annotations, so that v2 → v1 → v2 loses nothing.
enum HorizontalPodAutoscalerConversion {
    static let v1 = "autoscaling/v1"
    static let v2 = "autoscaling/v2"
    static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"
    static let currentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics"
    static let conditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"
    static let behaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior"
    static let roundTripAnnotations = [metricsAnnotation, currentMetricsAnnotation, conditionsAnnotation, behaviorAnnotation]
    /// `autoscaling.DefaultCPUUtilization`: a v1 object without a CPU target means 80 %.
    static let defaultCPUUtilization: Int64 = 80

    static func convert(_ tree: JSONValue, to apiVersion: String) throws -> JSONValue {
        let from = tree["apiVersion"]?.stringValue ?? apiVersion
        switch (from, apiVersion) {
        case (v2, v1): return try toV1(tree)
        case (v1, v2): return try toV2(tree)
        default: return tree
        }
    }

    // MARK: v2 → v1

    static func toV1(_ v2: JSONValue) throws -> JSONValue {
        var out = v2
        out.set("apiVersion", .string(v1))
        let spec = v2["spec"] ?? .object([:])
        let status = v2["status"]
        let metrics = spec["metrics"]?.arrayValue ?? []

        var v1Spec = JSONValue.object([:])
        v1Spec.set("scaleTargetRef", spec["scaleTargetRef"])
        v1Spec.set("minReplicas", spec["minReplicas"])
        v1Spec.set("maxReplicas", spec["maxReplicas"] ?? .int(0))
        if let cpu = metrics.first(where: isCPUResource) {
            v1Spec.set("targetCPUUtilizationPercentage", cpu.value(at: "resource.target.averageUtilization"))
        }
        out.set("spec", v1Spec)

        var annotations = v2.value(at: "metadata.annotations")?.objectValue ?? [:]
        for key in roundTripAnnotations { annotations[key] = nil }
        let others = metrics.filter { !(isCPUResource($0) && $0.value(at: "resource.target.averageUtilization") != nil) }
        if !others.isEmpty {
            annotations[metricsAnnotation] = .string(text(.array(others.map(metricSpecToV1))))
        }
        if let status {
            let current = status["currentMetrics"]?.arrayValue ?? []
            if !current.isEmpty {
                annotations[currentMetricsAnnotation] = .string(text(.array(current.map(metricStatusToV1))))
            }
            let conditions = status["conditions"]?.arrayValue ?? []
            if !conditions.isEmpty {
                annotations[conditionsAnnotation] = .string(text(.array(conditions)))
            }
            var v1Status = JSONValue.object([:])
            for key in ["observedGeneration", "lastScaleTime", "currentReplicas"] { v1Status.set(key, status[key]) }
            v1Status.set("desiredReplicas", status["desiredReplicas"] ?? .int(0))
            for metric in current where isCPUResource(metric) {
                if let utilization = metric.value(at: "resource.current.averageUtilization") {
                    v1Status.set("currentCPUUtilizationPercentage", utilization)
                }
            }
            out.set("status", v1Status)
        }
        if let behavior = spec["behavior"] {
            annotations[behaviorAnnotation] = .string(text(behavior))
        }
        out.setMetadata("annotations", annotations.isEmpty ? nil : .object(annotations))
        return out
    }

    /// One field of a v1 metric source or status, and where v2 keeps it (a dotted path inside
    /// the v2 source or status); `zero`: v1's field is a plain Quantity, "0" when v2 has none.
    struct MetricField: Sendable {
        let v1: String
        let v2: String
        var zero = false
    }

    /// The member holding a metric's details, by metric type.
    static let members = ["Object": "object", "Pods": "pods", "Resource": "resource",
                          "ContainerResource": "containerResource", "External": "external"]

    /// v1 `MetricSpec` sources (upstream `Convert_autoscaling_*MetricSource_To_v1_*`).
    static let sourceFields: [String: [MetricField]] = [
        "Object": [.init(v1: "target", v2: "describedObject"), .init(v1: "metricName", v2: "metric.name"),
                   .init(v1: "targetValue", v2: "target.value", zero: true), .init(v1: "selector", v2: "metric.selector"),
                   .init(v1: "averageValue", v2: "target.averageValue")],
        "Pods": [.init(v1: "metricName", v2: "metric.name"), .init(v1: "targetAverageValue", v2: "target.averageValue", zero: true),
                 .init(v1: "selector", v2: "metric.selector")],
        "Resource": resourceSourceFields,
        "ContainerResource": resourceSourceFields + [.init(v1: "container", v2: "container")],
        "External": [.init(v1: "metricName", v2: "metric.name"), .init(v1: "metricSelector", v2: "metric.selector"),
                     .init(v1: "targetValue", v2: "target.value"), .init(v1: "targetAverageValue", v2: "target.averageValue")],
    ]
    static let resourceSourceFields: [MetricField] = [
        .init(v1: "name", v2: "name"), .init(v1: "targetAverageUtilization", v2: "target.averageUtilization"),
        .init(v1: "targetAverageValue", v2: "target.averageValue"),
    ]

    /// v1 `MetricStatus` entries (upstream `Convert_autoscaling_*MetricStatus_To_v1_*`).
    static let statusFields: [String: [MetricField]] = [
        "Object": [.init(v1: "target", v2: "describedObject"), .init(v1: "metricName", v2: "metric.name"),
                   .init(v1: "currentValue", v2: "current.value", zero: true), .init(v1: "selector", v2: "metric.selector"),
                   .init(v1: "averageValue", v2: "current.averageValue")],
        "Pods": [.init(v1: "metricName", v2: "metric.name"), .init(v1: "currentAverageValue", v2: "current.averageValue", zero: true),
                 .init(v1: "selector", v2: "metric.selector")],
        "Resource": resourceStatusFields,
        "ContainerResource": resourceStatusFields + [.init(v1: "container", v2: "container")],
        "External": [.init(v1: "metricName", v2: "metric.name"), .init(v1: "metricSelector", v2: "metric.selector"),
                     .init(v1: "currentValue", v2: "current.value", zero: true),
                     .init(v1: "currentAverageValue", v2: "current.averageValue")],
    ]
    static let resourceStatusFields: [MetricField] = [
        .init(v1: "name", v2: "name"), .init(v1: "currentAverageUtilization", v2: "current.averageUtilization"),
        .init(v1: "currentAverageValue", v2: "current.averageValue", zero: true),
    ]

    static func metricSpecToV1(_ metric: JSONValue) -> JSONValue { metricToV1(metric, sourceFields) }
    static func metricStatusToV1(_ metric: JSONValue) -> JSONValue { metricToV1(metric, statusFields) }

    static func metricToV1(_ metric: JSONValue, _ table: [String: [MetricField]]) -> JSONValue {
        let type = metric["type"]?.stringValue ?? ""
        var out = JSONValue.object(["type": .string(type)])
        guard let member = members[type], let source = metric[member], let fields = table[type] else { return out }
        var converted: [String: JSONValue] = [:]
        for field in fields {
            converted[field.v1] = source.value(at: field.v2) ?? (field.zero ? .string("0") : nil)
        }
        out.set(member, .object(converted))
        return out
    }

    // MARK: helpers

    static func isCPUResource(_ metric: JSONValue) -> Bool {
        metric["type"]?.stringValue == "Resource" && metric.value(at: "resource.name")?.stringValue == "cpu"
    }

    static func text(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }

    static func parse(_ text: String, annotation: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(Array(text.utf8))
        } catch {
            throw APIError.badRequest("annotation \(annotation) is not valid JSON: \(error.description)")
        }
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
