import Foundation
import KubeModel

/// Pods: defaults, the status a new pod starts with (Pending, its QoS class), what the admission
/// plugins every cluster runs add (priority, default not-ready/unreachable tolerations, the
/// `default` service account), validation and the immutability of the spec.
struct PodStrategy: KindStrategy {
    static let updatableFieldsMessage = "pod updates may not change fields other than `spec.containers[*].image`,"
        + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
        + "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

    /// The priorities of the built-in priority classes.
    static let systemPriorities: [String: Int32] = ["system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000]

    func applyDefaults(_ pod: inout CoreV1.Pod) {
        PodSpecDefaults.apply(&pod.spec)
        PodSpecDefaults.applyPodOnly(&pod.spec)
    }

    func prepareForCreate(_ pod: inout CoreV1.Pod) {
        pod.status = CoreV1.PodStatus(phase: "Pending", qosClass: Self.qosClass(of: pod.spec))
        let className = pod.spec.priorityClassName ?? ""
        if className.isEmpty {
            pod.spec.priority = pod.spec.priority ?? 0
        } else if let priority = Self.systemPriorities[className] {
            pod.spec.priority = priority
        }
        if pod.spec.preemptionPolicy == nil { pod.spec.preemptionPolicy = "PreemptLowerPriority" }
        if (pod.spec.serviceAccountName ?? "").isEmpty { pod.spec.serviceAccountName = pod.spec.serviceAccount ?? "default" }
        if (pod.spec.serviceAccountName ?? "").isEmpty { pod.spec.serviceAccountName = "default" }
        pod.spec.serviceAccount = pod.spec.serviceAccountName
        Self.addDefaultTolerations(&pod.spec)
    }

    func validate(_ pod: CoreV1.Pod) -> [APIError.FieldCause] {
        ObjectMetaValidation.validate(pod.metadata) + PodSpecValidation.validate(pod.spec, path: ValidationPath("spec"))
    }

    func prepareForUpdate(_ pod: inout CoreV1.Pod, old: CoreV1.Pod) {
        pod.status = old.status
    }

    func validateUpdate(_ pod: CoreV1.Pod, old: CoreV1.Pod) -> [APIError.FieldCause] {
        var causes = validate(pod)
        var comparable = pod.spec
        for (i, container) in old.spec.containers.enumerated() where i < comparable.containers.count {
            comparable.containers[i].image = container.image
        }
        if var inits = comparable.initContainers, let oldInits = old.spec.initContainers {
            for (i, container) in oldInits.enumerated() where i < inits.count { inits[i].image = container.image }
            comparable.initContainers = inits
        }
        comparable.activeDeadlineSeconds = old.spec.activeDeadlineSeconds
        let oldTolerations = old.spec.tolerations ?? []
        if oldTolerations.allSatisfy({ (pod.spec.tolerations ?? []).contains($0) }) {
            comparable.tolerations = old.spec.tolerations
        }
        if let oldGrace = old.spec.terminationGracePeriodSeconds, oldGrace < 0, pod.spec.terminationGracePeriodSeconds == 1 {
            comparable.terminationGracePeriodSeconds = oldGrace
        }
        if comparable != old.spec {
            causes.append(.forbidden(ValidationPath("spec"), Self.updatableFieldsMessage))
        }
        return causes
    }

    /// `Guaranteed` when every container has CPU and memory limits equal to its requests,
    /// `BestEffort` when none sets any, else `Burstable`.
    static func qosClass(of spec: CoreV1.PodSpec) -> String {
        let containers = spec.containers + (spec.initContainers ?? [])
        var anySet = false
        var guaranteed = true
        for container in containers {
            let requests = (container.resources?.requests ?? [:]).filter { ["cpu", "memory"].contains($0.key) && $0.value.sign != 0 }
            let limits = (container.resources?.limits ?? [:]).filter { ["cpu", "memory"].contains($0.key) && $0.value.sign != 0 }
            if !requests.isEmpty || !limits.isEmpty { anySet = true }
            if limits.count < 2 || requests != limits { guaranteed = false }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    /// Upstream's DefaultTolerationSeconds admission: tolerate not-ready and unreachable nodes
    /// for 300 s unless the pod says otherwise.
    static func addDefaultTolerations(_ spec: inout CoreV1.PodSpec) {
        var tolerations = spec.tolerations ?? []
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let covered = tolerations.contains { t in
                (t.key == key || ((t.key ?? "").isEmpty && t.operator == "Exists"))
                    && ((t.effect ?? "").isEmpty || t.effect == "NoExecute")
            }
            if !covered {
                tolerations.append(CoreV1.Toleration(effect: "NoExecute", key: key, operator: "Exists", tolerationSeconds: 300))
            }
        }
        spec.tolerations = tolerations
    }
}
