import KubeModel

/// A pod with what scheduling derives from it once (upstream's `framework.PodInfo`): its
/// effective requests, the non-zero requests used for scoring, host ports and priority.
public final class PodInfo: Sendable {
    public let pod: CoreV1.Pod
    /// `namespace/name`.
    public let key: String
    /// Effective requests: max(sum of containers and sidecars, largest init step) plus overhead;
    /// pod-level `spec.resources.requests` take precedence for the resources they name.
    public let requests: Resource
    /// The same with 100m cpu and 200 MiB memory assumed for containers that request none
    /// (upstream's non-zero requests, used only by scoring).
    public let nonZeroRequests: Resource
    /// Host ports the pod's containers (and init containers) claim.
    public let hostPorts: [HostPort]
    /// Parsed pod affinity and anti-affinity terms (empty for pods without any).
    public let affinityTerms: PodAffinityTerms

    public init(_ pod: CoreV1.Pod) {
        self.pod = pod
        namespace = pod.metadata.namespace ?? ""
        labels = pod.metadata.labels ?? [:]
        key = "\(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "")"
        requests = Self.effectiveRequests(of: pod, nonZero: false)
        nonZeroRequests = Self.effectiveRequests(of: pod, nonZero: true)
        hostPorts = Self.hostPorts(of: pod)
        let affinity = pod.spec.affinity
        declaresPodAffinity = affinity?.podAffinity != nil || affinity?.podAntiAffinity != nil
        hasRequiredAntiAffinity = !(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).isEmpty
        affinityTerms = affinity?.podAffinity != nil || affinity?.podAntiAffinity != nil ? PodAffinityTerms(pod) : PodAffinityTerms()
    }

    /// `info` with its pod replaced by `pod`, a copy differing only in `spec.nodeName` (what
    /// the cache assumes): the derived fields carry over instead of being computed again.
    init(_ pod: CoreV1.Pod, boundCopyOf info: PodInfo) {
        self.pod = pod
        namespace = info.namespace
        labels = info.labels
        key = info.key
        requests = info.requests
        nonZeroRequests = info.nonZeroRequests
        hostPorts = info.hostPorts
        declaresPodAffinity = info.declaresPodAffinity
        hasRequiredAntiAffinity = info.hasRequiredAntiAffinity
        affinityTerms = info.affinityTerms
    }

    public var name: String { pod.metadata.name ?? "" }
    /// `metadata.namespace` (read for every pod a selector looks at).
    public let namespace: String
    public var uid: String { pod.metadata.uid ?? "" }
    /// `metadata.labels`, or empty.
    public let labels: [String: String]
    public var priority: Int32 { pod.spec.priority ?? 0 }
    public var nodeName: String { pod.spec.nodeName ?? "" }

    /// Whether the pod declares any pod affinity or anti-affinity term.
    public var hasAffinityTerms: Bool { declaresPodAffinity }

    /// Whether the pod declares a required anti-affinity term.
    public let hasRequiredAntiAffinity: Bool
    private let declaresPodAffinity: Bool

    /// Default requests assumed for scoring when a container names none (upstream's
    /// `DefaultMilliCPURequest` and `DefaultMemoryRequest`).
    public static let defaultMilliCPURequest: Int64 = 100
    public static let defaultMemoryRequest: Int64 = 200 * 1024 * 1024

    static func effectiveRequests(of pod: CoreV1.Pod, nonZero: Bool) -> Resource {
        func requests(_ container: CoreV1.Container) -> Resource {
            var resource = Resource(container.resources?.requests)
            if nonZero {
                let named = container.resources?.requests ?? [:]
                if named[Resource.cpu] == nil { resource.milliCPU = defaultMilliCPURequest }
                if named[Resource.memoryName] == nil { resource.memory = defaultMemoryRequest }
            }
            return resource
        }
        var total = Resource()
        for container in pod.spec.containers { total += requests(container) }
        var sidecars = Resource()
        var largestInit = Resource()
        for container in pod.spec.initContainers ?? [] {
            var step = requests(container)
            if container.restartPolicy == "Always" {
                sidecars += step
                step = sidecars
            } else {
                step += sidecars
            }
            largestInit = largestInit.maximum(step)
        }
        total += sidecars
        total = total.maximum(largestInit)
        if let podLevel = pod.spec.resources?.requests {
            for name in [Resource.cpu, Resource.memoryName] {
                guard let quantity = podLevel[name] else { continue }
                var single = Resource()
                single.add(name, quantity)
                if name == Resource.cpu { total.milliCPU = single.milliCPU } else { total.memory = single.memory }
            }
        }
        total += Resource(pod.spec.overhead)
        total.allowedPodNumber = 0
        return total
    }

    static func hostPorts(of pod: CoreV1.Pod) -> [HostPort] {
        var ports: [HostPort] = []
        for container in (pod.spec.initContainers ?? []) + pod.spec.containers {
            for port in container.ports ?? [] {
                guard let hostPort = port.hostPort, hostPort > 0 else { continue }
                ports.append(HostPort(ip: port.hostIP ?? "", protocol: port.protocol ?? "TCP", port: hostPort))
            }
        }
        return ports
    }
}

/// A host port claim: IP (empty or `0.0.0.0` means every address), protocol, port.
public struct HostPort: Sendable, Hashable {
    public var ip: String
    public var `protocol`: String
    public var port: Int32

    public init(ip: String, protocol: String, port: Int32) {
        self.ip = ip
        self.protocol = `protocol`
        self.port = port
    }

    /// Two claims conflict on the same protocol and port when either binds every address or
    /// both bind the same one.
    public func conflicts(with other: HostPort) -> Bool {
        guard port == other.port, self.protocol == other.protocol else { return false }
        let mine = ip.isEmpty ? "0.0.0.0" : ip
        let theirs = other.ip.isEmpty ? "0.0.0.0" : other.ip
        return mine == "0.0.0.0" || theirs == "0.0.0.0" || mine == theirs
    }
}
