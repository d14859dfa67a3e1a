import KubeClient
import KubeModel

/// The StatefulSet controller's pod handlers (upstream's `addPod`, `updatePod`, `deletePod`):
/// they note observed creations and deletions and queue the sets concerned.
struct StatefulSetPodEvents: Sendable {
    let sets: Lister<AppsV1.StatefulSet>
    let queue: ControllerQueue
    let expectations: ControllerExpectations

    /// The set a controller reference names, if the cache holds that very object.
    func resolve(_ reference: MetaV1.OwnerReference, namespace: String) -> AppsV1.StatefulSet? {
        guard reference.kind == "StatefulSet", let set = sets.get(namespace: namespace, name: reference.name),
              set.metadata.uid == reference.uid else { return nil }
        return set
    }

    /// The sets in the pod's namespace whose selector matches it.
    func matchingSets(_ pod: CoreV1.Pod) -> [AppsV1.StatefulSet] {
        sets.list(namespace: pod.metadata.namespace ?? "").filter { set in
            guard let selector = try? Labels.Selector(set.spec.selector), !selector.isEmpty else { return false }
            return selector.matches(pod.metadata.labels ?? [:])
        }
    }

    func added(_ pod: CoreV1.Pod) {
        if pod.metadata.deletionTimestamp != nil {
            deleted(pod)
            return
        }
        if let reference = OwnerReferences.controller(of: pod) {
            guard let set = resolve(reference, namespace: pod.metadata.namespace ?? "") else { return }
            let key = ObjectKeys.key(of: set)
            expectations.creationObserved(key)
            queue.add(key)
            return
        }
        for set in matchingSets(pod) { queue.add(ObjectKeys.key(of: set)) }
    }

    func updated(_ old: CoreV1.Pod, _ pod: CoreV1.Pod) {
        if pod.metadata.resourceVersion == old.metadata.resourceVersion { return }
        let namespace = pod.metadata.namespace ?? ""
        if pod.metadata.deletionTimestamp != nil, old.metadata.deletionTimestamp == nil,
           let reference = OwnerReferences.controller(of: pod), let set = resolve(reference, namespace: namespace) {
            expectations.deletionObserved(ObjectKeys.key(of: set), uid: pod.metadata.uid)
        }
        let reference = OwnerReferences.controller(of: pod)
        let oldReference = OwnerReferences.controller(of: old)
        let referenceChanged = reference != oldReference
        if referenceChanged, let oldReference, let set = resolve(oldReference, namespace: namespace) {
            queue.add(ObjectKeys.key(of: set))
        }
        if let reference {
            guard let set = resolve(reference, namespace: namespace) else { return }
            let key = ObjectKeys.key(of: set)
            queue.add(key)
            let minReady = set.spec.minReadySeconds ?? 0
            if !PodReadiness.isReady(old), PodReadiness.isReady(pod), minReady > 0 {
                queue.addAfter(key, .seconds(Int64(minReady)))
            }
            return
        }
        if pod.metadata.labels != old.metadata.labels || referenceChanged {
            for set in matchingSets(pod) { queue.add(ObjectKeys.key(of: set)) }
        }
    }

    func deleted(_ pod: CoreV1.Pod) {
        guard let reference = OwnerReferences.controller(of: pod),
              let set = resolve(reference, namespace: pod.metadata.namespace ?? "") else { return }
        let key = ObjectKeys.key(of: set)
        expectations.deletionObserved(key, uid: pod.metadata.uid)
        queue.add(key)
    }
}
