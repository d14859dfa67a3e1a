import KubeClient
import KubeModel

extension ReplicaSetController {
    /// The pod informer's handlers (upstream's `addPod`, `updatePod`, `deletePod`): they note
    /// observed creations and deletions in the expectations and queue the owners concerned.
    struct PodEventHandlers: Sendable {
        let owners: Lister<Owner>
        let queue: ControllerQueue
        let expectations: ControllerExpectations

        /// The owner a controller reference points at, if the cache holds that very object.
        func resolve(_ reference: MetaV1.OwnerReference, namespace: String) -> Owner? {
            guard reference.kind == Owner.groupVersionKind.kind,
                  let owner = owners.get(namespace: namespace, name: reference.name),
                  owner.metadata.uid == reference.uid else { return nil }
            return owner
        }

        /// Every owner in the pod's namespace whose (non-empty) selector matches it.
        func matchingOwners(_ pod: CoreV1.Pod) -> [Owner] {
            owners.list(namespace: pod.metadata.namespace ?? "").filter { owner in
                guard let selector = try? owner.podSelector(), !selector.isEmpty else { return false }
                return selector.matches(pod.metadata.labels ?? [:])
            }
        }

        func added(_ pod: CoreV1.Pod) {
            if pod.metadata.deletionTimestamp != nil {
                deleted(pod)
                return
            }
            let namespace = pod.metadata.namespace ?? ""
            if let reference = OwnerReferences.controller(of: pod) {
                guard let owner = resolve(reference, namespace: namespace) else { return }
                let key = ObjectKeys.key(of: owner)
                expectations.creationObserved(key)
                queue.add(key)
                return
            }
            for owner in matchingOwners(pod) { queue.add(ObjectKeys.key(of: owner)) }
        }

        func updated(_ old: CoreV1.Pod, _ pod: CoreV1.Pod) {
            if pod.metadata.resourceVersion == old.metadata.resourceVersion { return }
            let labelsChanged = pod.metadata.labels != old.metadata.labels
            if pod.metadata.deletionTimestamp != nil {
                deleted(pod)
                if labelsChanged { deleted(old) }
                return
            }
            let namespace = pod.metadata.namespace ?? ""
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
                if !PodReadiness.isReady(old), PodReadiness.isReady(pod), owner.minReadySeconds > 0 {
                    queue.addAfter(key, .seconds(Int64(owner.minReadySeconds) + 1))
                }
                return
            }
            if labelsChanged || referenceChanged {
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
}
