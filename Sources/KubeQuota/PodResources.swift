import KubeModel

/// A pod's effective requests and limits (upstream's `resourcehelper.PodRequests` and
/// `PodLimits`): the sum over app containers and sidecars (restartable init containers), or
/// the largest init container together with the sidecars started before it if that is more,
/// plus the pod overhead. Pod-level `spec.resources` replaces the container sum for the
/// resources it names.
public enum PodResources {
    public typealias ResourceList = [String: Quantity]

    public static func requests(_ pod: CoreV1.Pod) -> ResourceList {
        effective(pod) { $0.resources?.requests ?? [:] } podLevel: { $0.spec.resources?.requests }
    }

    public static func limits(_ pod: CoreV1.Pod) -> ResourceList {
        effective(pod) { $0.resources?.limits ?? [:] } podLevel: { $0.spec.resources?.limits }
    }

    private static func effective(_ pod: CoreV1.Pod, _ amounts: (CoreV1.Container) -> ResourceList,
                                  podLevel: (CoreV1.Pod) -> ResourceList?) -> ResourceList {
        var total: ResourceList = [:]
        for container in pod.spec.containers { add(&total, amounts(container)) }
        var sidecars: ResourceList = [:]
        var initPeak: ResourceList = [:]
        for container in pod.spec.initContainers ?? [] {
            if container.restartPolicy == "Always" {
                add(&sidecars, amounts(container))
                add(&total, amounts(container))
                initPeak = maximum(initPeak, sidecars)
            } else {
                var during = sidecars
                add(&during, amounts(container))
                initPeak = maximum(initPeak, during)
            }
        }
        total = maximum(total, initPeak)
        if let podLevel = podLevel(pod) {
            for (name, value) in podLevel { total[name] = value }
        }
        add(&total, pod.spec.overhead ?? [:])
        return total
    }

    /// `a + b` per resource name.
    public static func add(_ a: inout ResourceList, _ b: ResourceList) {
        for (name, value) in b { a[name] = (a[name] ?? .zero) + value }
    }

    /// The larger of each resource in `a` and `b`.
    public static func maximum(_ a: ResourceList, _ b: ResourceList) -> ResourceList {
        var result = a
        for (name, value) in b where result[name].map({ $0 < value }) ?? true { result[name] = value }
        return result
    }
}
