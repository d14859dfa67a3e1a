import KubeClient
import KubeModel

/// The pod handlers of a controller whose pods carry its controller reference (upstream's
/// `addPod`, `updatePod`, `deletePod` of the DaemonSet and StatefulSet controllers): they note
/// observed creations and deletions in the owner's expectations and queue the owners concerned
/// — the owner a pod names, or, for an orphan, every owner whose selector matches it.
struct OwnedPodEvents<Owner: KubeObject>: Sendable {
    let owners: Lister<Owner>
    let queue: ControllerQueue
    let expectations: ControllerExpectations
    /// The owner's pod selector.
    let selector: @Sendable (Owner) -> MetaV1.LabelSelector?
    /// The owner's minReadySeconds: a pod that turns Ready is looked at again after it (plus
    /// `readyPadding` seconds).
    let minReadySeconds: @Sendable (Owner) -> Int32?
    var readyPadding: Int64 = 0
    /// Whether a pod that starts terminating is handled as deleted at once (DaemonSet), or only
    /// has its deletion noted (StatefulSet, which waits for the pod to go).
    var terminatingIsDeleted: Bool

    /// The owner a controller reference names, if the cache holds that very object.
    func resolve(_ reference: MetaV1.OwnerReference, namespace: String) -> Owner? {
        guard reference.kind == Owner.groupVersionKind.kind,
              let owner = owners.get(namespace: namespace, name: reference.name),
              owner.metadata.uid == reference.uid else { return nil }
        return owner
    }

    /// The owners in the pod's namespace whose selector matches it (an empty selector matches none).
    func matchingOwners(_ pod: CoreV1.Pod) -> [Owner] {
        owners.list(namespace: pod.metadata.namespace ?? "").filter { owner in
            guard let selector = try? Labels.Selector(selector(owner)), !selector.isEmpty else { return false }
            return selector.matches(pod.metadata.labels ?? [:])
        }
    }

    func added(_ pod: CoreV1.Pod) {
        if pod.metadata.deletionTimestamp != nil {
            deleted(pod)
            return
        }
        if let reference = OwnerReferences.controller(of: pod) {
            guard let owner = resolve(reference, namespace: pod.metadata.namespace ?? "") else { return }
            let key = ObjectKeys.key(of: owner)
            expectations.creationObserved(key)
            queue.add(key)
            return
        }
        for owner in matchingOwners(pod) { queue.add(ObjectKeys.key(of: owner)) }
    }

    func updated(_ old: CoreV1.Pod, _ pod: CoreV1.Pod) {
        if pod.metadata.resourceVersion == old.metadata.resourceVersion { return }
        let namespace = pod.metadata.namespace ?? ""
        if pod.metadata.deletionTimestamp != nil, old.metadata.deletionTimestamp == nil {
            if terminatingIsDeleted {
                deleted(pod)
                return
            }
            if let reference = OwnerReferences.controller(of: pod), let owner = resolve(reference, namespace: namespace) {
                expectations.deletionObserved(ObjectKeys.key(of: owner), uid: pod.metadata.uid)
            }
        }
        let reference = OwnerReferences.controller(of: pod)
        let oldReference = OwnerReferences.controller(of: old)
        let referenceChanged = reference != oldReference
        if referenceChanged, let oldReference, let owner = resolve(oldReference, namespace: namespace) {
            queue.add(ObjectKeys.key(of: owner))
        }
        if let reference {
            guard let owner = resolve(reference, namespace: namespace) else { return }
            let key = ObjectKeys.key(of: owner)
            queue.add(key)
            let minReady = Int64(minReadySeconds(owner) ?? 0)
            if !PodReadiness.isReady(old), PodReadiness.isReady(pod), minReady > 0 {
                queue.addAfter(key, .seconds(minReady + readyPadding))
            }
            return
        }
        if pod.metadata.labels != old.metadata.labels || referenceChanged {
            for owner in matchingOwners(pod) { queue.add(ObjectKeys.key(of: owner)) }
        }
    }

    func deleted(_ pod: CoreV1.Pod) {
        guard let reference = OwnerReferences.controller(of: pod),
              let owner = resolve(reference, namespace: pod.metadata.namespace ?? "") else { return }
        let key = ObjectKeys.key(of: owner)
        expectations.deletionObserved(key, uid: pod.metadata.uid)
        queue.add(key)
    }
}
