import KubeModel

/// Owner references of a StatefulSet's claims under its `persistentVolumeClaimRetentionPolicy`
/// (upstream's `isClaimOwnerUpToDate` and `updateClaimOwnerRefForSetAndPod`):
/// Retain/Retain – no reference; WhenDeleted Delete – the set owns claims of pods in range;
/// WhenScaled Delete – the pod owns the claims of a pod scaled away.
public enum StatefulSetClaimRetention {
    public struct Policy: Sendable, Equatable {
        public var whenDeleted: String
        public var whenScaled: String
    }

    public static func policy(_ set: AppsV1.StatefulSet) -> Policy {
        let policy = set.spec.persistentVolumeClaimRetentionPolicy
        return Policy(whenDeleted: policy?.whenDeleted ?? "Retain", whenScaled: policy?.whenScaled ?? "Retain")
    }

    static func matchesReference(_ reference: MetaV1.OwnerReference, name: String?, kind: String, apiVersion: String) -> Bool {
        reference.apiVersion == apiVersion && reference.kind == kind && reference.name == (name ?? "")
    }

    static func isSet(_ reference: MetaV1.OwnerReference, _ set: AppsV1.StatefulSet) -> Bool {
        matchesReference(reference, name: set.metadata.name, kind: "StatefulSet", apiVersion: "apps/v1")
    }

    static func isPod(_ reference: MetaV1.OwnerReference, _ pod: CoreV1.Pod) -> Bool {
        matchesReference(reference, name: pod.metadata.name, kind: "Pod", apiVersion: "v1")
    }

    static func hasOwner(_ claim: CoreV1.PersistentVolumeClaim, uid: String?) -> Bool {
        (claim.metadata.ownerReferences ?? []).contains { $0.uid == (uid ?? "") }
    }

    /// A reference naming the set or pod but with another UID: left by an earlier incarnation.
    static func hasStaleReference(_ claim: CoreV1.PersistentVolumeClaim, set: AppsV1.StatefulSet?, pod: CoreV1.Pod?) -> Bool {
        for reference in claim.metadata.ownerReferences ?? [] {
            if let set, isSet(reference, set) { return reference.uid != set.metadata.uid }
        }
        for reference in claim.metadata.ownerReferences ?? [] {
            if let pod, isPod(reference, pod) { return reference.uid != pod.metadata.uid }
        }
        return false
    }

    /// Another controller manages the claim (only a concern when a policy deletes).
    static func hasUnexpectedController(_ claim: CoreV1.PersistentVolumeClaim, _ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        let policy = policy(set)
        if policy.whenScaled == "Retain" && policy.whenDeleted == "Retain" { return false }
        for reference in claim.metadata.ownerReferences ?? [] {
            if isSet(reference, set) {
                if reference.uid != set.metadata.uid { return true }
                continue
            }
            if isPod(reference, pod) {
                if reference.uid != pod.metadata.uid { return true }
                continue
            }
            if reference.controller == true { return true }
        }
        return false
    }

    static func hasNonControllerOwner(_ claim: CoreV1.PersistentVolumeClaim, _ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        (claim.metadata.ownerReferences ?? []).contains {
            ($0.uid == set.metadata.uid || $0.uid == pod.metadata.uid) && $0.controller != true
        }
    }

    /// True when the claim's references already follow the policy (or must not be touched).
    public static func isUpToDate(_ claim: CoreV1.PersistentVolumeClaim, set: AppsV1.StatefulSet, pod: CoreV1.Pod) -> Bool {
        if hasStaleReference(claim, set: set, pod: nil) || hasStaleReference(claim, set: nil, pod: pod) { return true }
        if hasUnexpectedController(claim, set, pod) {
            return !(hasOwner(claim, uid: set.metadata.uid) || hasOwner(claim, uid: pod.metadata.uid))
        }
        if hasNonControllerOwner(claim, set, pod) { return false }
        let policy = policy(set)
        let setOwns = hasOwner(claim, uid: set.metadata.uid)
        let podOwns = hasOwner(claim, uid: pod.metadata.uid)
        let scaledDown = !StatefulSetPods.inOrdinalRange(pod, set)
        switch (policy.whenScaled, policy.whenDeleted) {
        case ("Retain", "Delete"):
            return setOwns && !podOwns
        case ("Delete", "Retain"):
            return !setOwns && scaledDown == podOwns
        case ("Delete", "Delete"):
            return scaledDown != setOwns && scaledDown == podOwns
        default:
            return !setOwns && !podOwns
        }
    }

    /// The claim's references rewritten to follow the policy.
    public static func updateReferences(_ claim: inout CoreV1.PersistentVolumeClaim, set: AppsV1.StatefulSet, pod: CoreV1.Pod) {
        let unexpected = hasUnexpectedController(claim, set, pod)
        var references = (claim.metadata.ownerReferences ?? []).filter { !isSet($0, set) && !isPod($0, pod) }
        defer { claim.metadata.ownerReferences = references }
        if unexpected { return }
        let policy = policy(set)
        let scaledDown = !StatefulSetPods.inOrdinalRange(pod, set)
        func add<Owner: KubeObject>(_ owner: Owner) {
            guard !references.contains(where: { $0.uid == owner.metadata.uid }) else { return }
            references.append(OwnerReferences.controllerReference(to: owner))
        }
        switch (policy.whenScaled, policy.whenDeleted) {
        case ("Retain", "Delete"):
            add(set)
        case ("Delete", "Retain"):
            if scaledDown { add(pod) }
        case ("Delete", "Delete"):
            if scaledDown { add(pod) } else { add(set) }
        default:
            break
        }
    }
}
