import Foundation
import KubeModel

/// The identity, storage and state of a StatefulSet's pods (upstream's `stateful_set_utils.go`):
/// pods are named `<set>-<ordinal>`, claims `<template>-<set>-<ordinal>`.
public enum StatefulSetPods {
    /// upstream's `apps.StatefulSetPodNameLabel`.
    public static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    /// upstream's `apps.PodIndexLabel`.
    public static let podIndexLabel = "apps.kubernetes.io/pod-index"
    /// upstream's `apps.StatefulSetRevisionLabel`.
    public static let revisionLabel = ControllerHistory.podRevisionLabel

    /// The set name and ordinal in a pod name `<parent>-<ordinal>` (ordinal -1 when there is none).
    public static func parentAndOrdinal(_ podName: String) -> (parent: String, ordinal: Int) {
        guard let dash = podName.lastIndex(of: "-") else { return ("", -1) }
        let digits = podName[podName.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let ordinal = Int32(digits) else { return ("", -1) }
        return (String(podName[..<dash]), Int(ordinal))
    }

    public static func ordinal(_ pod: CoreV1.Pod) -> Int { parentAndOrdinal(pod.metadata.name ?? "").ordinal }

    /// `spec.ordinals.start`, 0 when unset.
    public static func startOrdinal(_ set: AppsV1.StatefulSet) -> Int { Int(set.spec.ordinals?.start ?? 0) }

    public static func replicas(_ set: AppsV1.StatefulSet) -> Int { Int(set.spec.replicas ?? 1) }

    /// The last ordinal the set keeps (inclusive).
    public static func endOrdinal(_ set: AppsV1.StatefulSet) -> Int { startOrdinal(set) + replicas(set) - 1 }

    public static func inOrdinalRange(_ pod: CoreV1.Pod, _ set: AppsV1.StatefulSet) -> Bool {
        let ordinal = ordinal(pod)
        return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set)
    }

    public static func podName(_ set: AppsV1.StatefulSet, _ ordinal: Int) -> String { "\(set.metadata.name ?? "")-\(ordinal)" }

    public static func claimName(_ set: AppsV1.StatefulSet, template: CoreV1.PersistentVolumeClaim, ordinal: Int) -> String {
        "\(template.metadata.name ?? "")-\(set.metadata.name ?? "")-\(ordinal)"
    }

    /// Named like a member of `set` (whatever its owner).
    public static func isMember(_ pod: CoreV1.Pod, of set: AppsV1.StatefulSet) -> Bool {
        parentAndOrdinal(pod.metadata.name ?? "").parent == set.metadata.name
    }

    /// The pod's name, namespace and pod-name label are those of its ordinal in `set`.
    public static func identityMatches(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        let (parent, ordinal) = parentAndOrdinal(pod.metadata.name ?? "")
        return ordinal >= 0 && parent == set.metadata.name && pod.metadata.name == podName(set, ordinal)
            && pod.metadata.namespace == set.metadata.namespace
            && pod.metadata.labels?[podNameLabel] == pod.metadata.name
    }

    /// Every claim template is mounted from the pod's own claim.
    public static func storageMatches(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        let ordinal = ordinal(pod)
        guard ordinal >= 0 else { return false }
        let volumes = Dictionary((pod.spec.volumes ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for template in set.spec.volumeClaimTemplates ?? [] {
            guard let volume = volumes[template.metadata.name ?? ""],
                  volume.persistentVolumeClaim?.claimName == claimName(set, template: template, ordinal: ordinal)
            else { return false }
        }
        return true
    }

    /// The claims of the pod's ordinal, from the set's templates (in template order), labelled
    /// with the set's selector labels.
    public static func claims(_ set: AppsV1.StatefulSet, ordinal: Int) -> [(templateName: String, claim: CoreV1.PersistentVolumeClaim)] {
        (set.spec.volumeClaimTemplates ?? []).map { template in
            var claim = template
            claim.metadata.name = claimName(set, template: template, ordinal: ordinal)
            claim.metadata.namespace = set.metadata.namespace
            var labels = template.metadata.labels ?? [:]
            for (key, value) in set.spec.selector.matchLabels ?? [:] { labels[key] = value }
            claim.metadata.labels = labels
            claim.status = CoreV1.PersistentVolumeClaimStatus()
            return (template.metadata.name ?? "", claim)
        }
    }

    /// Mounts the pod's claims in place of volumes of the same names.
    public static func updateStorage(_ set: AppsV1.StatefulSet, _ pod: inout CoreV1.Pod) {
        let claims = claims(set, ordinal: ordinal(pod))
        let names = Set(claims.map(\.templateName))
        var volumes = claims.map { entry in
            var volume = CoreV1.Volume(name: entry.templateName)
            volume.persistentVolumeClaim = CoreV1.PersistentVolumeClaimVolumeSource(claimName: entry.claim.metadata.name ?? "", readOnly: false)
            return volume
        }
        volumes += (pod.spec.volumes ?? []).filter { !names.contains($0.name) }
        pod.spec.volumes = volumes
    }

    /// Name, namespace and the pod-name and pod-index labels from the pod's ordinal.
    public static func updateIdentity(_ set: AppsV1.StatefulSet, _ pod: inout CoreV1.Pod) {
        let ordinal = ordinal(pod)
        pod.metadata.name = podName(set, ordinal)
        pod.metadata.namespace = set.metadata.namespace
        var labels = pod.metadata.labels ?? [:]
        labels[podNameLabel] = pod.metadata.name
        labels[podIndexLabel] = String(ordinal)
        pod.metadata.labels = labels
    }

    /// A new pod for `ordinal` from the set's template (upstream's `newStatefulSetPod`):
    /// hostname and subdomain set once, at creation.
    public static func newPod(_ set: AppsV1.StatefulSet, ordinal: Int) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        let template = set.spec.template
        pod.metadata.labels = template.metadata?.labels ?? [:]
        pod.metadata.annotations = template.metadata?.annotations
        pod.metadata.finalizers = template.metadata?.finalizers
        pod.metadata.generateName = "\(set.metadata.name ?? "")-"
        pod.metadata.ownerReferences = [OwnerReferences.controllerReference(to: set)]
        pod.spec = template.spec ?? CoreV1.PodSpec(containers: [])
        pod.metadata.name = podName(set, ordinal)
        updateIdentity(set, &pod)
        pod.spec.hostname = pod.metadata.name
        if let service = set.spec.serviceName, !service.isEmpty { pod.spec.subdomain = service }
        updateStorage(set, &pod)
        return pod
    }

    /// upstream's `newVersionedStatefulSetPod`: ordinals below the partition (or below the
    /// current replicas without a rolling update setting) get the current revision.
    public static func newVersionedPod(
        current: AppsV1.StatefulSet, update: AppsV1.StatefulSet, currentRevision: String, updateRevision: String, ordinal: Int
    ) -> CoreV1.Pod {
        let strategy = current.spec.updateStrategy
        let isRolling = (strategy?.type ?? "RollingUpdate") == "RollingUpdate"
        let start = startOrdinal(current)
        let useCurrent: Bool
        if let rolling = strategy?.rollingUpdate {
            useCurrent = ordinal < start + Int(rolling.partition ?? 0)
        } else {
            useCurrent = isRolling && ordinal < start + Int(current.status.currentReplicas ?? 0)
        }
        var pod = newPod(useCurrent ? current : update, ordinal: ordinal)
        pod.metadata.labels?[revisionLabel] = useCurrent ? currentRevision : updateRevision
        return pod
    }

    public static func revision(of pod: CoreV1.Pod) -> String { pod.metadata.labels?[revisionLabel] ?? "" }

    // MARK: State

    public static func isCreated(_ pod: CoreV1.Pod) -> Bool { !(pod.status.phase ?? "").isEmpty }
    public static func isPending(_ pod: CoreV1.Pod) -> Bool { pod.status.phase == "Pending" }
    public static func isFailed(_ pod: CoreV1.Pod) -> Bool { pod.status.phase == "Failed" }
    public static func isSucceeded(_ pod: CoreV1.Pod) -> Bool { pod.status.phase == "Succeeded" }
    public static func isTerminating(_ pod: CoreV1.Pod) -> Bool { pod.metadata.deletionTimestamp != nil }

    public static func isRunningAndReady(_ pod: CoreV1.Pod) -> Bool {
        pod.status.phase == "Running" && PodReadiness.isReady(pod)
    }

    public static func isRunningAndAvailable(_ pod: CoreV1.Pod, minReadySeconds: Int32, now: Date) -> Bool {
        PodReadiness.isAvailable(pod, minReadySeconds: minReadySeconds, now: now)
    }

    public static func isHealthy(_ pod: CoreV1.Pod) -> Bool { isRunningAndReady(pod) && !isTerminating(pod) }
}
