import KubeModel

/// Whether a quota applies to an object by its scopes (upstream's pod evaluator
/// `podMatchesScopeFunc`): scopes only narrow pods; a quota with scopes never covers other
/// resources' compute, but object counts of non-pods are not scoped.
public enum QuotaScopes {
    /// The scope requirements of `quota`: `spec.scopes` as `Exists`, then `spec.scopeSelector`.
    public static func requirements(of quota: CoreV1.ResourceQuota) -> [CoreV1.ScopedResourceSelectorRequirement] {
        var result = (quota.spec.scopes ?? []).map { CoreV1.ScopedResourceSelectorRequirement(operator: "Exists", scopeName: $0) }
        result += quota.spec.scopeSelector?.matchExpressions ?? []
        return result
    }

    /// Whether `quota` covers `object` (a `resource` of the core group, or any other).
    public static func matches(_ quota: CoreV1.ResourceQuota, _ object: any KubeObject, resource: String) -> Bool {
        let requirements = requirements(of: quota)
        guard !requirements.isEmpty else { return true }
        guard let pod = object as? CoreV1.Pod else { return false }
        return requirements.allSatisfy { matches($0, pod) }
    }

    static func matches(_ requirement: CoreV1.ScopedResourceSelectorRequirement, _ pod: CoreV1.Pod) -> Bool {
        switch requirement.scopeName {
        case "Terminating": return (pod.spec.activeDeadlineSeconds ?? -1) >= 0
        case "NotTerminating": return (pod.spec.activeDeadlineSeconds ?? -1) < 0
        case "BestEffort": return isBestEffort(pod)
        case "NotBestEffort": return !isBestEffort(pod)
        case "PriorityClass":
            let name = pod.spec.priorityClassName ?? ""
            let values = requirement.values ?? []
            switch requirement.operator {
            case "Exists": return !name.isEmpty
            case "DoesNotExist": return name.isEmpty
            case "In": return values.contains(name)
            case "NotIn": return !values.contains(name)
            default: return false
            }
        case "CrossNamespacePodAffinity":
            return usesCrossNamespaceAffinity(pod)
        default:
            return false
        }
    }

    /// No container or init container requests or limits cpu or memory (QoS BestEffort).
    public static func isBestEffort(_ pod: CoreV1.Pod) -> Bool {
        let containers = pod.spec.containers + (pod.spec.initContainers ?? [])
        return containers.allSatisfy { container in
            let requests = container.resources?.requests ?? [:]
            let limits = container.resources?.limits ?? [:]
            return requests["cpu"] == nil && requests["memory"] == nil && limits["cpu"] == nil && limits["memory"] == nil
        }
    }

    static func usesCrossNamespaceAffinity(_ pod: CoreV1.Pod) -> Bool {
        let affinity = pod.spec.affinity
        var terms: [CoreV1.PodAffinityTerm] = []
        terms += affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
        terms += affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.map(\.podAffinityTerm) ?? []
        terms += affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
        terms += affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.map(\.podAffinityTerm) ?? []
        return terms.contains { !($0.namespaces ?? []).isEmpty || $0.namespaceSelector != nil }
    }
}
