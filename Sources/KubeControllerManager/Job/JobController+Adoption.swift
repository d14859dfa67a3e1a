import KubeClient
import KubeModel

/// Which pods a Job owns (upstream's `getPodsForJob` and `getPodJobs`): matching orphans are
/// adopted (controller reference and tracking finalizer added) after a live check that the Job
/// is still the same and not being deleted, and owned pods that stopped matching are released
/// (both removed), through the shared ``ControllerRefManager``.
extension JobController {
    /// The Job's pods in its namespace after adoption and release. Adopted pods are answered
    /// with the tracking finalizer. An adoption or release that failed fails the sync.
    func podsForJob(_ job: BatchV1.Job) async throws -> [CoreV1.Pod] {
        let selector: Labels.Selector
        do {
            selector = try Labels.Selector(job.spec.selector)
        } catch {
            throw ControllerRefManager<BatchV1.Job>.ClaimError("couldn't convert Job selector: \(error)")
        }
        let candidates = pods.list(namespace: job.metadata.namespace ?? "")
        let owned = Set(candidates.filter { pod in
            pod.metadata.ownerReferences?.contains { $0.uid == job.metadata.uid } ?? false
        }.compactMap(\.metadata.uid))
        let manager = ControllerRefManager(owner: job, client: client, finalizers: [JobPods.trackingFinalizer])
        let (claimed, errors) = await manager.claim(candidates) { selector.matches($0.metadata.labels ?? [:]) }
        if let first = errors.first { throw first }
        return claimed.map { pod in
            guard !owned.contains(pod.metadata.uid ?? ""), !JobPods.hasTrackingFinalizer(pod) else { return pod }
            var adopted = pod
            adopted.metadata.finalizers = (pod.metadata.finalizers ?? []) + [JobPods.trackingFinalizer]
            return adopted
        }
    }

    /// The Jobs in the pod's namespace whose selector matches it (none for a pod without labels).
    func jobsSelecting(_ pod: CoreV1.Pod) -> [BatchV1.Job] {
        let labels = pod.metadata.labels ?? [:]
        guard !labels.isEmpty else { return [] }
        let matching = jobs.list(namespace: pod.metadata.namespace ?? "").filter { job in
            (try? Labels.Selector(job.spec.selector))?.matches(labels) ?? false
        }
        if matching.count > 1 {
            logger.warning("user error! more than one job is selecting pods with labels",
                           metadata: ["labels": "\(labels.sorted { $0.key < $1.key })"])
        }
        return matching
    }
}
