import KubeModel

/// Matching a failed pod against a Job's `spec.podFailurePolicy` (upstream's
/// `matchPodFailurePolicy`): the first rule whose `onExitCodes` or `onPodConditions` matches
/// decides.
enum JobPodFailurePolicy {
    struct Match: Sendable, Equatable {
        /// The Job's failure message, for a `FailJob` rule.
        var failJobMessage: String?
        /// False for an `Ignore` rule: the failure does not count towards the backoff limits.
        var countsFailure: Bool
        /// The action of the matching rule, nil when none matched.
        var action: String?

        static let noMatch = Match(failJobMessage: nil, countsFailure: true, action: nil)
    }

    static func match(_ policy: BatchV1.PodFailurePolicy?, _ pod: CoreV1.Pod) -> Match {
        guard let policy else { return .noMatch }
        let namespace = pod.metadata.namespace ?? "", name = pod.metadata.name ?? ""
        for (index, rule) in policy.rules.enumerated() {
            if let onExitCodes = rule.onExitCodes {
                guard let container = matchingContainer(pod, onExitCodes) else { continue }
                let exitCode = container.state?.terminated?.exitCode ?? 0
                if let match = matchFor(rule.action, failJobMessage:
                    "Container \(container.name) for pod \(namespace)/\(name) failed with exit code \(exitCode) matching \(rule.action) rule at index \(index)") {
                    return match
                }
            } else if let patterns = rule.onPodConditions {
                guard let condition = matchingCondition(pod, patterns) else { continue }
                if let match = matchFor(rule.action, failJobMessage:
                    "Pod \(namespace)/\(name) has condition \(condition.type) matching \(rule.action) rule at index \(index)") {
                    return match
                }
            }
        }
        return .noMatch
    }

    private static func matchFor(_ action: String, failJobMessage: String) -> Match? {
        switch action {
        case "Ignore": return Match(failJobMessage: nil, countsFailure: false, action: action)
        case "FailIndex", "Count": return Match(failJobMessage: nil, countsFailure: true, action: action)
        case "FailJob": return Match(failJobMessage: failJobMessage, countsFailure: true, action: action)
        default: return nil
        }
    }

    /// The first terminated container (regular, then init) with a non-zero exit code that
    /// satisfies the requirement.
    static func matchingContainer(_ pod: CoreV1.Pod, _ requirement: BatchV1.PodFailurePolicyOnExitCodesRequirement)
        -> CoreV1.ContainerStatus? {
        for statuses in [pod.status.containerStatuses ?? [], pod.status.initContainerStatuses ?? []] {
            for status in statuses {
                guard let terminated = status.state?.terminated else { continue }
                if let name = requirement.containerName, name != status.name { continue }
                guard terminated.exitCode != 0 else { continue }
                let listed = requirement.values.contains(terminated.exitCode)
                switch requirement.operator {
                case "In" where listed, "NotIn" where !listed: return status
                default: continue
                }
            }
        }
        return nil
    }

    /// The first pod condition that one of the patterns names with its status (`True` by default).
    static func matchingCondition(_ pod: CoreV1.Pod, _ patterns: [BatchV1.PodFailurePolicyOnPodConditionsPattern])
        -> CoreV1.PodCondition? {
        for condition in pod.status.conditions ?? [] {
            for pattern in patterns where pattern.type == condition.type && (pattern.status ?? "True") == condition.status {
                return condition
            }
        }
        return nil
    }
}
