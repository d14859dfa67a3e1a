import KubeModel

/// autoscaling/v1 → autoscaling/v2 (the storage version).
extension HorizontalPodAutoscalerConversion {
    static func toV2(_ v1: JSONValue) throws -> JSONValue {
        var out = v1
        out.set("apiVersion", .string(v2))
        let spec = v1["spec"] ?? .object([:])
        var annotations = v1.value(at: "metadata.annotations")?.objectValue ?? [:]

        var v2Spec = JSONValue.object([:])
        v2Spec.set("scaleTargetRef", spec["scaleTargetRef"])
        v2Spec.set("minReplicas", spec["minReplicas"])
        v2Spec.set("maxReplicas", spec["maxReplicas"])
        var metrics: [JSONValue] = []
        if let cpu = spec["targetCPUUtilizationPercentage"], cpu != .null {
            metrics = [cpuUtilization(cpu)]
        }
        // Metrics v1 cannot express come first, then the CPU target.
        if let encoded = annotations.removeValue(forKey: metricsAnnotation)?.stringValue {
            let others = try parse(encoded, annotation: metricsAnnotation).arrayValue ?? []
            metrics = others.map(metricSpecToV2) + metrics
        }
        if metrics.isEmpty { metrics = [cpuUtilization(.int(defaultCPUUtilization))] }
        v2Spec.set("metrics", .array(metrics))
        if let encoded = annotations.removeValue(forKey: behaviorAnnotation)?.stringValue {
            v2Spec.set("behavior", try parse(encoded, annotation: behaviorAnnotation))
        }
        out.set("spec", v2Spec)

        var currentMetrics: [JSONValue]?
        if let cpu = v1.value(at: "status.currentCPUUtilizationPercentage"), cpu != .null {
            currentMetrics = [.object(["type": .string("Resource"), "resource": .object([
                "name": .string("cpu"), "current": .object(["averageUtilization": cpu]),
            ])])]
        }
        // The annotation has more than the CPU figure: it wins.
        if let encoded = annotations.removeValue(forKey: currentMetricsAnnotation)?.stringValue {
            currentMetrics = (try parse(encoded, annotation: currentMetricsAnnotation).arrayValue ?? []).map(metricStatusToV2)
        }
        var conditions: JSONValue?
        if let encoded = annotations.removeValue(forKey: conditionsAnnotation)?.stringValue {
            conditions = try parse(encoded, annotation: conditionsAnnotation)
        }
        if let status = v1["status"] {
            var v2Status = JSONValue.object([:])
            for key in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] {
                v2Status.set(key, status[key])
            }
            if let currentMetrics { v2Status.set("currentMetrics", .array(currentMetrics)) }
            v2Status.set("conditions", conditions)
            out.set("status", v2Status)
        }
        out.setMetadata("annotations", annotations.isEmpty ? nil : .object(annotations))
        return out
    }

    static func cpuUtilization(_ percent: JSONValue) -> JSONValue {
        .object(["type": .string("Resource"), "resource": .object([
            "name": .string("cpu"),
            "target": .object(["type": .string("Utilization"), "averageUtilization": percent]),
        ])])
    }

    /// A metric identifier: `name` and an optional `selector`.
    static func identifier(_ name: JSONValue?, _ selector: JSONValue?) -> JSONValue {
        compact(["name": name ?? .string(""), "selector": selector])
    }

    static func metricSpecToV2(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.stringValue ?? ""
        var out = JSONValue.object(["type": .string(type)])
        switch type {
        case "Object":
            guard let source = metric["object"] else { break }
            let average = source["averageValue"]
            out.set("object", compact([
                "describedObject": source["target"],
                "metric": identifier(source["metricName"], source["selector"]),
                "target": compact(["type": .string(average == nil ? "Value" : "AverageValue"),
                                   "value": source["targetValue"], "averageValue": average]),
            ]))
        case "Pods":
            guard let source = metric["pods"] else { break }
            out.set("pods", compact([
                "metric": identifier(source["metricName"], source["selector"]),
                "target": compact(["type": .string("AverageValue"), "averageValue": source["targetAverageValue"]]),
            ]))
        case "Resource", "ContainerResource":
            let field = type == "Resource" ? "resource" : "containerResource"
            guard let source = metric[field] else { break }
            let utilization = source["targetAverageUtilization"]
            out.set(field, compact([
                "name": source["name"], "container": source["container"],
                "target": compact(["type": .string(utilization == nil ? "AverageValue" : "Utilization"),
                                   "averageUtilization": utilization, "averageValue": source["targetAverageValue"]]),
            ]))
        case "External":
            guard let source = metric["external"] else { break }
            let value = source["targetValue"]
            out.set("external", compact([
                "metric": identifier(source["metricName"], source["metricSelector"]),
                "target": compact(["type": .string(value == nil ? "AverageValue" : "Value"),
                                   "value": value, "averageValue": source["targetAverageValue"]]),
            ]))
        default:
            break
        }
        return out
    }

    static func metricStatusToV2(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.stringValue ?? ""
        var out = JSONValue.object(["type": .string(type)])
        switch type {
        case "Object":
            guard let source = metric["object"] else { break }
            out.set("object", compact([
                "describedObject": source["target"],
                "metric": identifier(source["metricName"], source["selector"]),
                "current": compact(["value": source["currentValue"], "averageValue": source["averageValue"]]),
            ]))
        case "Pods":
            guard let source = metric["pods"] else { break }
            out.set("pods", compact([
                "metric": identifier(source["metricName"], source["selector"]),
                "current": compact(["averageValue": source["currentAverageValue"]]),
            ]))
        case "Resource", "ContainerResource":
            let field = type == "Resource" ? "resource" : "containerResource"
            guard let source = metric[field] else { break }
            out.set(field, compact([
                "name": source["name"], "container": source["container"],
                "current": compact(["averageValue": source["currentAverageValue"],
                                    "averageUtilization": source["currentAverageUtilization"]]),
            ]))
        case "External":
            guard let source = metric["external"] else { break }
            out.set("external", compact([
                "metric": identifier(source["metricName"], source["metricSelector"]),
                "current": compact(["value": source["currentValue"], "averageValue": source["currentAverageValue"]]),
            ]))
        default:
            break
        }
        return out
    }
}
