import Foundation
import KubeModel

/// The LimitRanger admission plugin's work (upstream's `plugin/pkg/admission/limitranger`): on
/// a pod, container defaults from a LimitRange's `Container` items are filled in (and noted in
/// the `kubernetes.io/limit-ranger` annotation), then the containers' and the pod's requests
/// and limits are checked against min, max and maxLimitRequestRatio; a claim's storage
/// request is checked against the `PersistentVolumeClaim` items' min and max.
enum LimitRanger {
    static let annotation = "kubernetes.io/limit-ranger"

    /// The defaults a LimitRange item implies (upstream's LimitRange defaulting: the limit
    /// defaults to max, the request to the default limit, else to min).
    static func defaults(of item: CoreV1.LimitRangeItem) -> (requests: [String: Quantity], limits: [String: Quantity]) {
        var limits = item.default ?? [:]
        for (name, value) in item.max ?? [:] where limits[name] == nil { limits[name] = value }
        var requests = item.defaultRequest ?? [:]
        for (name, value) in limits where requests[name] == nil { requests[name] = value }
        for (name, value) in item.min ?? [:] where requests[name] == nil { requests[name] = value }
        return (requests, limits)
    }

    /// Applies `range` to `pod`: defaults, then the checks; the violations, in upstream's words.
    static func apply(_ range: CoreV1.LimitRange, to pod: inout CoreV1.Pod) -> [String] {
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        for item in range.spec.limits where item.type == "Container" {
            let implied = defaults(of: item)
            requests.merge(implied.requests) { _, new in new }
            limits.merge(implied.limits) { _, new in new }
        }
        mergeDefaults(into: &pod, requests: requests, limits: limits)

        var errors: [String] = []
        for item in range.spec.limits {
            switch item.type {
            case "Container":
                for container in pod.spec.containers + (pod.spec.initContainers ?? []) {
                    errors += check(item, type: "Container", requests: container.resources?.requests ?? [:],
                                    limits: container.resources?.limits ?? [:])
                }
            case "Pod":
                errors += check(item, type: "Pod", requests: sum(pod.spec.containers.map { $0.resources?.requests ?? [:] }),
                                limits: sum(pod.spec.containers.map { $0.resources?.limits ?? [:] }))
            default:
                break
            }
        }
        return errors
    }

    private static func mergeDefaults(into pod: inout CoreV1.Pod, requests: [String: Quantity], limits: [String: Quantity]) {
        guard !requests.isEmpty || !limits.isEmpty else { return }
        var notes: [String] = []
        func fill(_ container: inout CoreV1.Container, kind: String) {
            var resources = container.resources ?? CoreV1.ResourceRequirements()
            var containerLimits = resources.limits ?? [:]
            var containerRequests = resources.requests ?? [:]
            var setLimits: [String] = []
            var setRequests: [String] = []
            for (name, value) in limits where containerLimits[name] == nil {
                containerLimits[name] = value
                setLimits.append(name)
            }
            for (name, value) in requests where containerRequests[name] == nil {
                containerRequests[name] = value
                setRequests.append(name)
            }
            if !setRequests.isEmpty { notes.append(setRequests.sorted().joined(separator: ", ") + " request for \(kind) \(container.name)") }
            if !setLimits.isEmpty { notes.append(setLimits.sorted().joined(separator: ", ") + " limit for \(kind) \(container.name)") }
            resources.limits = containerLimits.isEmpty ? nil : containerLimits
            resources.requests = containerRequests.isEmpty ? nil : containerRequests
            container.resources = resources
        }
        for index in pod.spec.containers.indices { fill(&pod.spec.containers[index], kind: "container") }
        if var initContainers = pod.spec.initContainers {
            for index in initContainers.indices { fill(&initContainers[index], kind: "init container") }
            pod.spec.initContainers = initContainers
        }
        guard !notes.isEmpty else { return }
        var annotations = pod.metadata.annotations ?? [:]
        annotations[annotation] = "LimitRanger plugin set: " + notes.joined(separator: "; ")
        pod.metadata.annotations = annotations
    }

    /// min, max and maxLimitRequestRatio of `item` against one container's or the pod's totals.
    static func check(_ item: CoreV1.LimitRangeItem, type: String, requests: [String: Quantity], limits: [String: Quantity]) -> [String] {
        var errors: [String] = []
        for (name, enforced) in (item.min ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let error = minimum(type, name, enforced, requests: requests, limits: limits) { errors.append(error) }
        }
        for (name, enforced) in (item.max ?? [:]).sorted(by: { $0.key < $1.key }) {
            if limits[name] == nil {
                errors.append("maximum \(name) usage per \(type) is \(enforced).  No limit is specified")
            } else if limits[name]! > enforced {
                errors.append("maximum \(name) usage per \(type) is \(enforced), but limit is \(limits[name]!)")
            } else if let given = requests[name], given > enforced {
                errors.append("maximum \(name) usage per \(type) is \(enforced), but request is \(given)")
            }
        }
        for (name, enforced) in (item.maxLimitRequestRatio ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let request = requests[name], !request.isZero else {
                errors.append("\(name) max limit to request ratio per \(type) is \(enforced), but no request is specified or request is 0")
                continue
            }
            guard let limit = limits[name], !limit.isZero else {
                errors.append("\(name) max limit to request ratio per \(type) is \(enforced), but no limit is specified or limit is 0")
                continue
            }
            let ratio = limit.approximateDouble / request.approximateDouble
            if ratio > enforced.approximateDouble {
                errors.append("\(name) max limit to request ratio per \(type) is \(enforced), but provided ratio is \(String(format: "%f", ratio))")
            }
        }
        return errors
    }

    /// upstream's `minConstraint`: a request is required and neither it nor a stated limit may
    /// be below `enforced`.
    static func minimum(_ type: String, _ name: String, _ enforced: Quantity,
                        requests: [String: Quantity], limits: [String: Quantity]) -> String? {
        guard let request = requests[name] else {
            return "minimum \(name) usage per \(type) is \(enforced).  No request is specified"
        }
        if request < enforced { return "minimum \(name) usage per \(type) is \(enforced), but request is \(request)" }
        if let limit = limits[name], limit < enforced {
            return "minimum \(name) usage per \(type) is \(enforced), but limit is \(limit)"
        }
        return nil
    }

    /// upstream's `maxRequestConstraint`, for kinds without limits: the request is required and
    /// may not exceed `enforced`.
    static func maximumRequest(_ type: String, _ name: String, _ enforced: Quantity, requests: [String: Quantity]) -> String? {
        guard let request = requests[name] else {
            return "maximum \(name) usage per \(type) is \(enforced).  No request is specified"
        }
        return request > enforced ? "maximum \(name) usage per \(type) is \(enforced), but request is \(request)" : nil
    }

    /// The `PersistentVolumeClaim` items of `range` against a claim's
    /// `spec.resources.requests` (upstream's `PersistentVolumeClaimValidateLimitFunc`); claims
    /// get no defaults. On an update (`old` set) a request the stored claim already holds
    /// unchanged is not checked again.
    static func validate(_ range: CoreV1.LimitRange, claim: CoreV1.PersistentVolumeClaim,
                         old: CoreV1.PersistentVolumeClaim?) -> [String] {
        let requests = claim.spec.resources?.requests ?? [:]
        let oldRequests = old?.spec.resources?.requests ?? [:]
        func unchanged(_ name: String) -> Bool {
            guard let request = requests[name], let oldRequest = oldRequests[name] else { return false }
            return request.compare(oldRequest) == 0
        }
        let type = "PersistentVolumeClaim"
        var errors: [String] = []
        for item in range.spec.limits where item.type == type {
            for (name, enforced) in (item.min ?? [:]).sorted(by: { $0.key < $1.key }) where !unchanged(name) {
                if let error = minimum(type, name, enforced, requests: requests, limits: [:]) { errors.append(error) }
            }
            for (name, enforced) in (item.max ?? [:]).sorted(by: { $0.key < $1.key }) where !unchanged(name) {
                if let error = maximumRequest(type, name, enforced, requests: requests) { errors.append(error) }
            }
        }
        return errors
    }

    /// The total of each resource that every list names (upstream's `sum`).
    static func sum(_ lists: [[String: Quantity]]) -> [String: Quantity] {
        guard let first = lists.first else { return [:] }
        var result: [String: Quantity] = [:]
        for name in first.keys where lists.allSatisfy({ $0[name] != nil }) {
            result[name] = lists.map { $0[name]! }.reduce(Quantity.zero, +)
        }
        return result
    }
}
