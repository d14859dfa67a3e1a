import Foundation
import KubeModel

/// `kubectl get horizontalpodautoscalers`: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE.
/// Reads autoscaling/v2 objects and autoscaling/v1 ones (whose CPU target is upstream's one
/// Resource metric after conversion).
public struct HorizontalPodAutoscalerTableConvertor: TableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Reference", "scaleTargetRef points to the target resource to scale."),
        Printers.column("Targets", "metrics contains the specifications for which to use to calculate the desired replica count."),
        Printers.column("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
        Printers.column("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
        Printers.column("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
        Printers.age,
    ]

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        if let hpa = object as? AutoscalingV2.HorizontalPodAutoscaler {
            return row(object, kind: hpa.spec.scaleTargetRef.kind, name: hpa.spec.scaleTargetRef.name,
                       targets: Self.targets(hpa.spec.metrics ?? [], hpa.status.currentMetrics ?? []),
                       minReplicas: hpa.spec.minReplicas, maxReplicas: hpa.spec.maxReplicas,
                       currentReplicas: hpa.status.currentReplicas ?? 0, now: now)
        }
        if let hpa = object as? AutoscalingV1.HorizontalPodAutoscaler {
            var targets = Printers.none
            if let target = hpa.spec.targetCPUUtilizationPercentage {
                let current = hpa.status.currentCPUUtilizationPercentage.map { "\($0)%" } ?? Printers.unknown
                targets = "cpu: \(current)/\(target)%"
            }
            return row(object, kind: hpa.spec.scaleTargetRef.kind, name: hpa.spec.scaleTargetRef.name,
                       targets: targets, minReplicas: hpa.spec.minReplicas, maxReplicas: hpa.spec.maxReplicas,
                       currentReplicas: hpa.status.currentReplicas, now: now)
        }
        return Printers.placeholderRow(for: object, columns: columns, now: now)
    }

    private func row(_ object: any KubeObject, kind: String, name: String, targets: String, minReplicas: Int32?,
                     maxReplicas: Int32, currentReplicas: Int32, now: Date) -> [JSONValue] {
        [
            .string(object.metadata.name ?? ""),
            .string("\(kind)/\(name)"),
            .string(targets),
            .string(minReplicas.map(String.init) ?? Printers.unset),
            .int(Int64(maxReplicas)),
            .int(Int64(currentReplicas)),
            Printers.age(object, now: now),
        ]
    }

    /// `cpu: 50%/80%, 50m/100m + 1 more...`: current over target of the first two metrics, the
    /// status matched to a spec by position.
    static func targets(_ specs: [AutoscalingV2.MetricSpec], _ statuses: [AutoscalingV2.MetricStatus]) -> String {
        if specs.isEmpty { return Printers.none }
        let maximum = 2
        var list: [String] = []
        for (index, spec) in specs.enumerated() {
            let status = index < statuses.count ? statuses[index] : nil
            list.append(describe(spec, status))
        }
        if list.count > maximum {
            return list.prefix(maximum).joined(separator: ", ") + " + \(list.count - maximum) more..."
        }
        return list.joined(separator: ", ")
    }

    private static func describe(_ spec: AutoscalingV2.MetricSpec, _ status: AutoscalingV2.MetricStatus?) -> String {
        let unknown = Printers.unknown
        switch spec.type {
        case "External":
            guard let target = spec.external?.target else { return "<unknown type>" }
            if let average = target.averageValue {
                let current = status?.external?.current.averageValue?.description ?? unknown
                return "\(current)/\(average.description) (avg)"
            }
            let current = status?.external.map { Printers.quantity($0.current.value) } ?? unknown
            return "\(current)/\(Printers.quantity(target.value))"
        case "Pods":
            guard let target = spec.pods?.target else { return "<unknown type>" }
            let current = status?.pods.map { Printers.quantity($0.current.averageValue) } ?? unknown
            return "\(current)/\(Printers.quantity(target.averageValue))"
        case "Object":
            guard let target = spec.object?.target else { return "<unknown type>" }
            if let average = target.averageValue {
                let current = status?.object?.current.averageValue?.description ?? unknown
                return "\(current)/\(average.description) (avg)"
            }
            let current = status?.object.map { Printers.quantity($0.current.value) } ?? unknown
            return "\(current)/\(Printers.quantity(target.value))"
        case "Resource":
            guard let source = spec.resource else { return "<unknown type>" }
            return resource(source.name, target: source.target, current: status?.resource?.current,
                            hasStatus: status?.resource != nil)
        case "ContainerResource":
            guard let source = spec.containerResource else { return "<unknown type>" }
            return resource(source.name, target: source.target, current: status?.containerResource?.current,
                            hasStatus: status?.containerResource != nil)
        default:
            return "<unknown type>"
        }
    }

    /// `cpu: 50m/100m` for an average value target, `cpu: 50%/80%` (`<auto>` without a target
    /// utilization) otherwise.
    private static func resource(_ name: String, target: AutoscalingV2.MetricTarget,
                                 current: AutoscalingV2.MetricValueStatus?, hasStatus: Bool) -> String {
        if let average = target.averageValue {
            let value = hasStatus ? Printers.quantity(current?.averageValue) : Printers.unknown
            return "\(name): \(value)/\(average.description)"
        }
        let value = current?.averageUtilization.map { "\($0)%" } ?? Printers.unknown
        let goal = target.averageUtilization.map { "\($0)%" } ?? "<auto>"
        return "\(name): \(value)/\(goal)"
    }
}
