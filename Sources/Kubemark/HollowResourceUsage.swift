import Foundation
import KubeModel

/// The synthetic usage of a hollow container (or of a node's own processes): a constant CPU rate
/// in nanocores and a constant memory working set in bytes.
public struct HollowResourceUsage: Sendable, Hashable {
    public var cpuNanoCores: Int64
    public var memoryBytes: Int64

    public init(cpuNanoCores: Int64, memoryBytes: Int64) {
        self.cpuNanoCores = cpuNanoCores
        self.memoryBytes = memoryBytes
    }

    public init(cpu: Quantity, memory: Quantity) {
        self.init(cpuNanoCores: cpu.scaledValue(-9), memoryBytes: memory.value)
    }

    public static let zero = HollowResourceUsage(cpuNanoCores: 0, memoryBytes: 0)

    /// What each container uses unless its pod says otherwise: 10m CPU, 16Mi.
    public static let defaultContainer = HollowResourceUsage(cpu: Quantity(milli: 10), memory: Quantity.mustParse("16Mi"))
    /// What a node uses on top of its pods (kubelet, runtime, system): 50m CPU, 256Mi.
    public static let defaultNodeBase = HollowResourceUsage(cpu: Quantity(milli: 50), memory: Quantity.mustParse("256Mi"))

    public static func + (lhs: HollowResourceUsage, rhs: HollowResourceUsage) -> HollowResourceUsage {
        HollowResourceUsage(cpuNanoCores: lhs.cpuNanoCores + rhs.cpuNanoCores, memoryBytes: lhs.memoryBytes + rhs.memoryBytes)
    }
}

/// The pod annotation that sets a hollow pod's usage, e.g. `cpu=250m,memory=64Mi` for every
/// container, `web:cpu=500m` for the container `web` alone (container entries win over pod-wide
/// ones; what is not given keeps the fleet's default).
public enum HollowUsageAnnotation {
    public static let key = "hollow.skiff.dev/usage"

    /// A malformed annotation value; the description says what is wrong.
    public struct InvalidValue: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The usage of each container of `pod` (by name): `defaults`, overridden by the annotation.
    /// A malformed annotation is ignored (the defaults apply), as kubelet ignores bad annotations.
    public static func usage(of pod: CoreV1.Pod, defaults: HollowResourceUsage) -> [String: HollowResourceUsage] {
        let overrides = (pod.metadata.annotations?[key]).flatMap { try? parse($0) } ?? []
        var result: [String: HollowResourceUsage] = [:]
        for container in pod.spec.containers {
            var usage = defaults
            for pass in [nil, container.name] as [String?] {
                for entry in overrides where entry.container == pass {
                    switch entry.resource {
                    case "cpu": usage.cpuNanoCores = entry.quantity.scaledValue(-9)
                    default: usage.memoryBytes = entry.quantity.value
                    }
                }
            }
            result[container.name] = usage
        }
        return result
    }

    /// One `[container:]resource=quantity` entry.
    public struct Entry: Sendable, Equatable {
        public var container: String?
        public var resource: String
        public var quantity: Quantity
    }

    /// Parses `[container:]cpu=Q,[container:]memory=Q,…`.
    public static func parse(_ text: String) throws(InvalidValue) -> [Entry] {
        var entries: [Entry] = []
        for item in text.split(separator: ",") {
            let item = item.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { continue }
            guard let equals = item.firstIndex(of: "=") else {
                throw InvalidValue(description: "\"\(item)\": expected [container:]cpu=QUANTITY or [container:]memory=QUANTITY")
            }
            var name = Substring(item[..<equals])
            var container: String?
            if let colon = name.firstIndex(of: ":") {
                container = String(name[..<colon])
                name = name[name.index(after: colon)...]
            }
            guard name == "cpu" || name == "memory" else {
                throw InvalidValue(description: "\"\(item)\": the resource must be cpu or memory")
            }
            let valueText = String(item[item.index(after: equals)...])
            guard let quantity = try? Quantity(parsing: valueText), quantity.sign >= 0 else {
                throw InvalidValue(description: "\"\(item)\": \"\(valueText)\" is not a non-negative quantity")
            }
            entries.append(Entry(container: container, resource: String(name), quantity: quantity))
        }
        return entries
    }
}
