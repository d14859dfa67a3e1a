import KubeClient
import KubeModel

/// How pod changes reach the Job controller: they settle its expectations (creations,
/// deletions, finalizer removals) and queue the owning Job after the batch period; pods whose
/// Job is gone or finished go to the orphan queue to lose their finalizer; an orphan that is
/// new or changed labels or owner queues every Job that selects it, which may adopt it.
extension JobController {
    func podAdded(_ pod: CoreV1.Pod) {
        if pod.metadata.deletionTimestamp != nil {
            // Seen for the first time already being deleted: not a creation to observe.
            podDeleted(pod, final: false)
            return
        }
        guard let reference = OwnerReferences.controller(of: pod) else {
            if JobPods.hasTrackingFinalizer(pod) { orphanQueue.add(ObjectKeys.key(of: pod)) }
            // Not a creation to observe: no Job waits for an orphan.
            for job in jobsSelecting(pod) { queue.addAfter(ObjectKeys.key(of: job), Self.syncBatchPeriod) }
            return
        }
        guard let job = resolve(reference, namespace: pod.metadata.namespace ?? "") else { return }
        let key = ObjectKeys.key(of: job)
        expectations.creationObserved(key)
        queue.addAfter(key, Self.syncBatchPeriod)
    }

    func podUpdated(_ old: CoreV1.Pod, _ pod: CoreV1.Pod) {
        if old.metadata.resourceVersion == pod.metadata.resourceVersion { return }
        if pod.metadata.deletionTimestamp != nil {
            podDeleted(pod, final: false)
            return
        }
        let namespace = pod.metadata.namespace ?? ""
        let uid = pod.metadata.uid ?? ""
        let finalizerRemoved = !JobPods.hasTrackingFinalizer(pod)
        let reference = OwnerReferences.controller(of: pod)
        let oldReference = OwnerReferences.controller(of: old)
        if let oldReference, oldReference != reference, let job = resolve(oldReference, namespace: namespace) {
            let key = ObjectKeys.key(of: job)
            if finalizerRemoved { finalizerExpectations.removalObserved(key, uid) }
            queue.addAfter(key, Self.syncBatchPeriod)
        }
        guard let reference else {
            if JobPods.hasTrackingFinalizer(pod) { orphanQueue.add(ObjectKeys.key(of: pod)) }
            if pod.metadata.labels != old.metadata.labels || oldReference != nil {
                for job in jobsSelecting(pod) { queue.addAfter(ObjectKeys.key(of: job), Self.syncBatchPeriod) }
            }
            return
        }
        guard let job = resolve(reference, namespace: namespace) else { return }
        let key = ObjectKeys.key(of: job)
        if finalizerRemoved { finalizerExpectations.removalObserved(key, uid) }
        queue.addAfter(key, Self.syncBatchPeriod)
    }

    /// `final` is the informer's delete; otherwise the pod got its deletion timestamp.
    func podDeleted(_ pod: CoreV1.Pod, final: Bool) {
        let hasFinalizer = JobPods.hasTrackingFinalizer(pod)
        guard let reference = OwnerReferences.controller(of: pod) else {
            if hasFinalizer { orphanQueue.add(ObjectKeys.key(of: pod)) }
            return
        }
        guard let job = resolve(reference, namespace: pod.metadata.namespace ?? ""), !JobSpecs.isFinished(job) else {
            if hasFinalizer { orphanQueue.add(ObjectKeys.key(of: pod)) }
            return
        }
        let key = ObjectKeys.key(of: job)
        expectations.deletionObserved(key)
        if final || !hasFinalizer { finalizerExpectations.removalObserved(key, pod.metadata.uid ?? "") }
        queue.addAfter(key, Self.syncBatchPeriod)
    }
}
