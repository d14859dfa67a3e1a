import Foundation
import KubeModel

/// What an object counts against ResourceQuotas (upstream's quota evaluators in
/// `pkg/quota/v1/evaluator/core` and the generic object-count evaluator): every object
/// counts as `count/<resource>[.<group>]`; pods, services, PVCs, config maps, secrets,
/// replication controllers and quotas also count under their legacy names, and pods and
/// PVCs add their compute and storage.
public enum QuotaUsage {
    public typealias ResourceList = [String: Quantity]

    /// The resources whose requests a quota on them obliges every container to state.
    public static let podValidationResources: Set<String> = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]

    /// Legacy names of object counts (`pods` is a compute resource tied to the pod's life).
    static let legacyCounts: [String: String] = [
        "services": "services", "persistentvolumeclaims": "persistentvolumeclaims", "configmaps": "configmaps",
        "secrets": "secrets", "replicationcontrollers": "replicationcontrollers", "resourcequotas": "resourcequotas",
    ]

    /// `count/pods`, `count/deployments.apps`.
    public static func countName(group: String, resource: String) -> String {
        group.isEmpty ? "count/\(resource)" : "count/\(resource).\(group)"
    }

    /// The usage of `object`, a `resource` of `group` (the core group is "").
    public static func usage(of object: any KubeObject, group: String, resource: String, now: Date = Date()) -> ResourceList {
        var result: ResourceList = [countName(group: group, resource: resource): Quantity(value: 1)]
        guard group.isEmpty else { return result }
        if let legacy = legacyCounts[resource] { result[legacy] = Quantity(value: 1) }
        switch object {
        case let pod as CoreV1.Pod:
            guard countsCompute(pod, now: now) else { return result }
            result.merge(compute(requests: PodResources.requests(pod), limits: PodResources.limits(pod))) { a, _ in a }
        case let service as CoreV1.Service:
            let type = service.spec.type ?? "ClusterIP"
            if type == "LoadBalancer" { result["services.loadbalancers"] = Quantity(value: 1) }
            if type == "NodePort" || type == "LoadBalancer" {
                result["services.nodeports"] = Quantity(value: Int64(service.spec.ports?.count ?? 0))
            }
        case let claim as CoreV1.PersistentVolumeClaim:
            let storage = claimedStorage(claim)
            if let storage { result["requests.storage"] = storage }
            if let storageClass = storageClass(of: claim), !storageClass.isEmpty {
                let prefix = "\(storageClass).storageclass.storage.k8s.io/"
                result[prefix + "persistentvolumeclaims"] = Quantity(value: 1)
                if let storage { result[prefix + "requests.storage"] = storage }
            }
        default:
            break
        }
        return result
    }

    /// The storage a claim is charged for (upstream's `getStorageUsage`): its request, or the
    /// larger allocated size while an expansion is under way, rounded up to whole bytes.
    public static func claimedStorage(_ claim: CoreV1.PersistentVolumeClaim) -> Quantity? {
        guard var storage = claim.spec.resources?.requests?["storage"] else { return nil }
        if let allocated = claim.status.allocatedResources?["storage"], allocated > storage { storage = allocated }
        return storage.roundedUp(toScale: 0).quantity
    }

    /// The claim's class: the beta annotation wins over `spec.storageClassName` (upstream's
    /// `GetPersistentVolumeClaimClass`).
    public static func storageClass(of claim: CoreV1.PersistentVolumeClaim) -> String? {
        claim.metadata.annotations?["volume.beta.kubernetes.io/storage-class"] ?? claim.spec.storageClassName
    }

    /// The names among `names` that objects of `resource` can use (upstream's
    /// `Evaluator.MatchingResources`): what a quota on them tracks for such an object.
    public static func matchingResources(_ names: Set<String>, group: String, resource: String) -> Set<String> {
        let count = countName(group: group, resource: resource)
        return names.filter { name in
            if name == count { return true }
            guard group.isEmpty else { return false }
            if name == legacyCounts[resource] { return true }
            switch resource {
            case "pods":
                let compute = ["cpu", "memory", "ephemeral-storage"]
                if name == "pods" || compute.contains(name) { return true }
                if name.hasPrefix("limits.") { return compute.contains(String(name.dropFirst("limits.".count))) }
                guard name.hasPrefix("requests.") else { return false }
                let requested = String(name.dropFirst("requests.".count))
                return compute.contains(requested) || requested.hasPrefix("hugepages-") || isExtendedResource(requested)
            case "services":
                return name == "services.loadbalancers" || name == "services.nodeports"
            case "persistentvolumeclaims":
                return name == "requests.storage"
                    || (name.contains(".storageclass.storage.k8s.io/")
                        && (name.hasSuffix("/requests.storage") || name.hasSuffix("/persistentvolumeclaims")))
            default:
                return false
            }
        }
    }

    /// Whether a pod's compute counts: not terminal, and not stuck terminating past its grace
    /// period (upstream's `QuotaV1Pod`).
    public static func countsCompute(_ pod: CoreV1.Pod, now: Date) -> Bool {
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { return false }
        if let deletion = pod.metadata.deletionTimestamp, let grace = pod.metadata.deletionGracePeriodSeconds,
           now > deletion.date.addingTimeInterval(TimeInterval(grace)) {
            return false
        }
        return true
    }

    /// upstream's `podComputeUsageHelper`.
    public static func compute(requests: ResourceList, limits: ResourceList) -> ResourceList {
        var result: ResourceList = ["pods": Quantity(value: 1)]
        for name in ["cpu", "memory", "ephemeral-storage"] {
            if let request = requests[name] {
                result[name] = request
                result["requests.\(name)"] = request
            }
            if let limit = limits[name] { result["limits.\(name)"] = limit }
        }
        for (name, request) in requests {
            if name.hasPrefix("hugepages-") {
                result["requests.\(name)"] = request
            } else if isExtendedResource(name) {
                result["requests.\(name)"] = request
            }
        }
        return result
    }

    /// Resource names outside the `kubernetes.io` namespace (`nvidia.com/gpu`).
    static func isExtendedResource(_ name: String) -> Bool {
        guard let slash = name.firstIndex(of: "/") else { return false }
        let domain = name[..<slash]
        return !(domain == "kubernetes.io" || domain.hasSuffix(".kubernetes.io")) && !name.hasPrefix("requests.")
    }

    /// Containers of `pod` that do not state a resource `tracked` obliges them to: upstream's
    /// "must specify limits.cpu for: app; requests.memory for: app,sidecar", or nil.
    public static func podConstraintViolation(_ pod: CoreV1.Pod, tracked: Set<String>) -> String? {
        let required = tracked.intersection(podValidationResources)
        guard !required.isEmpty else { return nil }
        var missing: [String: Set<String>] = [:]
        for container in pod.spec.containers + (pod.spec.initContainers ?? []) {
            let stated = Set(compute(requests: container.resources?.requests ?? [:], limits: container.resources?.limits ?? [:]).keys)
            for name in required.subtracting(stated) { missing[name, default: []].insert(container.name) }
        }
        guard !missing.isEmpty else { return nil }
        let segments = missing.keys.sorted().map { "\($0) for: \(missing[$0]!.sorted().joined(separator: ","))" }
        return "must specify " + segments.joined(separator: "; ")
    }

    // MARK: Resource lists

    /// Only the entries of `list` named in `names`.
    public static func mask(_ list: ResourceList, _ names: Set<String>) -> ResourceList {
        list.filter { names.contains($0.key) }
    }

    /// `a + b` per name.
    public static func add(_ a: ResourceList, _ b: ResourceList) -> ResourceList {
        var result = a
        PodResources.add(&result, b)
        return result
    }

    /// `a - b` per name of `a`, never below zero (upstream's `SubtractWithNonNegativeResult`):
    /// what an update adds to the usage.
    public static func subtractNonNegative(_ a: ResourceList, _ b: ResourceList) -> ResourceList {
        var result: ResourceList = [:]
        for (name, value) in a {
            let difference = value - (b[name] ?? .zero)
            result[name] = difference.sign < 0 ? .zero : difference
        }
        return result
    }

    /// Whether every entry of `a` is at most the same entry of `b`; the names that exceed.
    public static func lessThanOrEqual(_ a: ResourceList, _ b: ResourceList) -> (Bool, Set<String>) {
        var exceeded: Set<String> = []
        for (name, value) in a {
            if let limit = b[name], value > limit { exceeded.insert(name) }
        }
        return (exceeded.isEmpty, exceeded)
    }

    /// `cpu=1,pods=2`, sorted by name (upstream's `prettyPrint`).
    public static func prettyPrint(_ list: ResourceList) -> String {
        list.keys.sorted().map { "\($0)=\(list[$0]!)" }.joined(separator: ",")
    }
}
