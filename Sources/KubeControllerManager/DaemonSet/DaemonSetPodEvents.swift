import KubeClient
import KubeModel

/// The DaemonSet controller's pod handlers (upstream's `addPod`, `updatePod`, `deletePod`):
/// they note observed creations and deletions and queue the DaemonSets concerned.
struct DaemonSetPodEvents: Sendable {
    let daemonSets: Lister<AppsV1.DaemonSet>
    let queue: ControllerQueue
    let expectations: ControllerExpectations

    func resolve(_ reference: MetaV1.OwnerReference, namespace: String) -> AppsV1.DaemonSet? {
        guard reference.kind == "DaemonSet", let ds = daemonSets.get(namespace: namespace, name: reference.name),
              ds.metadata.uid == reference.uid else { return nil }
        return ds
    }

    func matchingDaemonSets(_ pod: CoreV1.Pod) -> [AppsV1.DaemonSet] {
        daemonSets.list(namespace: pod.metadata.namespace ?? "").filter { ds in
            guard let selector = try? Labels.Selector(ds.spec.selector), !selector.isEmpty else { return false }
            return selector.matches(pod.metadata.labels ?? [:])
        }
    }

    func added(_ pod: CoreV1.Pod) {
        if pod.metadata.deletionTimestamp != nil {
            deleted(pod)
            return
        }
        if let reference = OwnerReferences.controller(of: pod) {
            guard let ds = resolve(reference, namespace: pod.metadata.namespace ?? "") else { return }
            let key = ObjectKeys.key(of: ds)
            expectations.creationObserved(key)
            queue.add(key)
            return
        }
        for ds in matchingDaemonSets(pod) { queue.add(ObjectKeys.key(of: ds)) }
    }

    func updated(_ old: CoreV1.Pod, _ pod: CoreV1.Pod) {
        if pod.metadata.resourceVersion == old.metadata.resourceVersion { return }
        let namespace = pod.metadata.namespace ?? ""
        if pod.metadata.deletionTimestamp != nil, old.metadata.deletionTimestamp == nil {
            deleted(pod)
            return
        }
        let reference = OwnerReferences.controller(of: pod)
        let oldReference = OwnerReferences.controller(of: old)
        let referenceChanged = reference != oldReference
        if referenceChanged, let oldReference, let ds = resolve(oldReference, namespace: namespace) {
            queue.add(ObjectKeys.key(of: ds))
        }
        if let reference {
            guard let ds = resolve(reference, namespace: namespace) else { return }
            let key = ObjectKeys.key(of: ds)
            queue.add(key)
            let minReady = ds.spec.minReadySeconds ?? 0
            if !PodReadiness.isReady(old), PodReadiness.isReady(pod), minReady > 0 {
                queue.addAfter(key, .seconds(Int64(minReady) + 1))
            }
            return
        }
        if pod.metadata.labels != old.metadata.labels || referenceChanged {
            for ds in matchingDaemonSets(pod) { queue.add(ObjectKeys.key(of: ds)) }
        }
    }

    func deleted(_ pod: CoreV1.Pod) {
        guard let reference = OwnerReferences.controller(of: pod),
              let ds = resolve(reference, namespace: pod.metadata.namespace ?? "") else { return }
        let key = ObjectKeys.key(of: ds)
        expectations.deletionObserved(key, uid: pod.metadata.uid)
        queue.add(key)
    }
}
