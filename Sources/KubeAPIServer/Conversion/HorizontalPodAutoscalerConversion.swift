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

    static func metricSpecToV1(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.stringValue ?? ""
        var out = JSONValue.object(["type": .string(type)])
        switch type {
        case "Object":
            guard let source = metric["object"] else { break }
            out.set("object", compact([
                "target": source["describedObject"], "metricName": source.value(at: "metric.name"),
                "targetValue": source.value(at: "target.value") ?? .string("0"),
                "selector": source.value(at: "metric.selector"), "averageValue": source.value(at: "target.averageValue"),
            ]))
        case "Pods":
            guard let source = metric["pods"] else { break }
            out.set("pods", compact([
                "metricName": source.value(at: "metric.name"),
                "targetAverageValue": source.value(at: "target.averageValue") ?? .string("0"),
                "selector": source.value(at: "metric.selector"),
            ]))
        case "Resource", "ContainerResource":
            let field = type == "Resource" ? "resource" : "containerResource"
            guard let source = metric[field] else { break }
            out.set(field, compact([
                "name": source["name"], "container": source["container"],
                "targetAverageUtilization": source.value(at: "target.averageUtilization"),
                "targetAverageValue": source.value(at: "target.averageValue"),
            ]))
        case "External":
            guard let source = metric["external"] else { break }
            out.set("external", compact([
                "metricName": source.value(at: "metric.name"), "metricSelector": source.value(at: "metric.selector"),
                "targetValue": source.value(at: "target.value"), "targetAverageValue": source.value(at: "target.averageValue"),
            ]))
        default:
            break
        }
        return out
    }

    static func metricStatusToV1(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.stringValue ?? ""
        var out = JSONValue.object(["type": .string(type)])
        switch type {
        case "Object":
            guard let source = metric["object"] else { break }
            out.set("object", compact([
                "target": source["describedObject"], "metricName": source.value(at: "metric.name"),
                "currentValue": source.value(at: "current.value") ?? .string("0"),
                "selector": source.value(at: "metric.selector"), "averageValue": source.value(at: "current.averageValue"),
            ]))
        case "Pods":
            guard let source = metric["pods"] else { break }
            out.set("pods", compact([
                "metricName": source.value(at: "metric.name"),
                "currentAverageValue": source.value(at: "current.averageValue") ?? .string("0"),
                "selector": source.value(at: "metric.selector"),
            ]))
        case "Resource", "ContainerResource":
            let field = type == "Resource" ? "resource" : "containerResource"
            guard let source = metric[field] else { break }
            out.set(field, compact([
                "name": source["name"], "container": source["container"],
                "currentAverageUtilization": source.value(at: "current.averageUtilization"),
                "currentAverageValue": source.value(at: "current.averageValue") ?? .string("0"),
            ]))
        case "External":
            guard let source = metric["external"] else { break }
            out.set("external", compact([
                "metricName": source.value(at: "metric.name"), "metricSelector": source.value(at: "metric.selector"),
                "currentValue": source.value(at: "current.value") ?? .string("0"),
                "currentAverageValue": source.value(at: "current.averageValue"),
            ]))
        default:
            break
        }
        return out
    }

    // MARK: helpers

    static func isCPUResource(_ metric: JSONValue) -> Bool {
        metric["type"]?.stringValue == "Resource" && metric.value(at: "resource.name")?.stringValue == "cpu"
    }

    /// An object of the members that are present.
    static func compact(_ members: [String: JSONValue?]) -> JSONValue {
        .object(members.compactMapValues { $0 })
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
