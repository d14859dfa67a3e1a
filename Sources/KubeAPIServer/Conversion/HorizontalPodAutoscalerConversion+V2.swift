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

    /// The v2 target type a v1 metric source implies (upstream `Convert_v1_*MetricSource_To_autoscaling_*`).
    static func targetType(_ type: String, _ source: JSONValue) -> String {
        switch type {
        case "Object": source["averageValue"] == nil ? "Value" : "AverageValue"
        case "Pods": "AverageValue"
        case "External": source["targetValue"] == nil ? "AverageValue" : "Value"
        default: source["targetAverageUtilization"] == nil ? "AverageValue" : "Utilization"
        }
    }

    static func metricSpecToV2(_ metric: JSONValue) -> JSONValue { metricToV2(metric, sourceFields, withTargetType: true) }
    static func metricStatusToV2(_ metric: JSONValue) -> JSONValue { metricToV2(metric, statusFields, withTargetType: false) }

    static func metricToV2(_ metric: JSONValue, _ table: [String: [MetricField]], withTargetType: Bool) -> JSONValue {
        let type = metric["type"]?.stringValue ?? ""
        var out = JSONValue.object(["type": .string(type)])
        guard let member = members[type], let source = metric[member], let fields = table[type] else { return out }
        var converted = JSONValue.object([:])
        for field in fields {
            if let value = source[field.v1] { converted.set(path: field.v2, value) }
        }
        // A v2 metric identifier always has a name.
        if fields.contains(where: { $0.v2 == "metric.name" }), converted.value(at: "metric.name") == nil {
            converted.set(path: "metric.name", .string(""))
        }
        if withTargetType { converted.set(path: "target.type", .string(targetType(type, source))) }
        out.set(member, converted)
        return out
    }
}

extension JSONValue {
    /// Sets the value at a dotted path, creating the objects on the way.
    mutating func set(path: String, _ value: JSONValue) {
        guard let dot = path.firstIndex(of: ".") else {
            set(path, value)
            return
        }
        let head = String(path[..<dot])
        var child = self[head] ?? .object([:])
        child.set(path: String(path[path.index(after: dot)...]), value)
        set(head, child)
    }
}
