import KubeModel

/// Amounts of the schedulable resources (upstream's `framework.Resource`): cpu in millicores,
/// memory and ephemeral storage in bytes, the pod count, and extended resources
/// (`example.com/gpu`, `hugepages-2Mi`, …) by name.
public struct Resource: Sendable, Equatable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0
    public var ephemeralStorage: Int64 = 0
    public var allowedPodNumber: Int64 = 0
    public var scalarResources: [String: Int64] = [:]

    /// The four totals without the extended resources: a plain value, copied without
    /// reference counting.
    public struct Counts: Sendable, Equatable {
        public var milliCPU: Int64
        public var memory: Int64
        public var ephemeralStorage: Int64
        public var allowedPodNumber: Int64
    }

    public var counts: Counts {
        Counts(milliCPU: milliCPU, memory: memory, ephemeralStorage: ephemeralStorage, allowedPodNumber: allowedPodNumber)
    }

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0,
                allowedPodNumber: Int64 = 0, scalarResources: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.allowedPodNumber = allowedPodNumber
        self.scalarResources = scalarResources
    }

    /// From a resource list (`{"cpu": "500m", "memory": "1Gi", "pods": "110"}`).
    public init(_ list: [String: Quantity]?) {
        guard let list else { return }
        for (name, quantity) in list { add(name, quantity) }
    }

    public static let cpu = "cpu"
    public static let memoryName = "memory"
    public static let ephemeralStorageName = "ephemeral-storage"
    public static let pods = "pods"

    /// Adds one named quantity (cpu as millicores, everything else as its integer value).
    public mutating func add(_ name: String, _ quantity: Quantity) {
        switch name {
        case Self.cpu: milliCPU += quantity.milliValue
        case Self.memoryName: memory += quantity.value
        case Self.ephemeralStorageName: ephemeralStorage += quantity.value
        case Self.pods: allowedPodNumber += quantity.value
        default:
            if Self.isScalar(name) { scalarResources[name, default: 0] += quantity.value }
        }
    }

    /// The amount of a named resource (0 when absent).
    public func amount(_ name: String) -> Int64 {
        switch name {
        case Self.cpu: milliCPU
        case Self.memoryName: memory
        case Self.ephemeralStorageName: ephemeralStorage
        case Self.pods: allowedPodNumber
        default: scalarResources[name] ?? 0
        }
    }

    /// Extended resources (`example.com/gpu`), prefixed native resources (`*kubernetes.io/*`),
    /// hugepages and attachable volumes count as scalars (upstream's `IsScalarResourceName`);
    /// any other unprefixed name is ignored.
    public static func isScalar(_ name: String) -> Bool {
        if name.hasPrefix("hugepages-") || name.hasPrefix("attachable-volumes-") { return true }
        return name.contains("/") && !name.hasPrefix("requests.")
    }

    public static func + (lhs: Resource, rhs: Resource) -> Resource {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func += (lhs: inout Resource, rhs: Resource) {
        lhs.milliCPU += rhs.milliCPU
        lhs.memory += rhs.memory
        lhs.ephemeralStorage += rhs.ephemeralStorage
        lhs.allowedPodNumber += rhs.allowedPodNumber
        for (name, value) in rhs.scalarResources { lhs.scalarResources[name, default: 0] += value }
    }

    public static func -= (lhs: inout Resource, rhs: Resource) {
        lhs.milliCPU -= rhs.milliCPU
        lhs.memory -= rhs.memory
        lhs.ephemeralStorage -= rhs.ephemeralStorage
        lhs.allowedPodNumber -= rhs.allowedPodNumber
        for (name, value) in rhs.scalarResources { lhs.scalarResources[name, default: 0] -= value }
    }

    /// The larger of each amount.
    public func maximum(_ other: Resource) -> Resource {
        var result = Resource(
            milliCPU: max(milliCPU, other.milliCPU), memory: max(memory, other.memory),
            ephemeralStorage: max(ephemeralStorage, other.ephemeralStorage),
            allowedPodNumber: max(allowedPodNumber, other.allowedPodNumber), scalarResources: scalarResources)
        for (name, value) in other.scalarResources { result.scalarResources[name] = max(result.scalarResources[name] ?? 0, value) }
        return result
    }
}
