import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `job-controller`: runs each Job's pods to completion. Pods are made from the
/// template with a controller reference and the `batch.kubernetes.io/job-tracking`
/// finalizer; finished pods are first recorded in `status.uncountedTerminatedPods`, then their
/// finalizer is removed and they are counted in `succeeded`/`failed`. Parallelism,
/// completions (NonIndexed and Indexed), the backoff limits with the pod-creation backoff,
/// `activeDeadlineSeconds`, the pod failure policy, the success policy and suspension follow
/// upstream, as do the interim `SuccessCriteriaMet`/`FailureTarget` conditions that precede
/// `Complete`/`Failed` once no pod is left running. Orphaned pods that match a Job's selector
/// are adopted, owned pods that stop matching are released.
public struct JobController: Controller {
    public static let controllerName = "job-controller"
    /// Pod events wait this long so a burst of them makes one sync (upstream's `syncJobBatchPeriod`).
    static let syncBatchPeriod: Duration = .seconds(1)
    /// At most this many pods are created or deleted in one sync.
    static let maxPodCreateDeletePerSync = 500
    /// At most this many UIDs are kept in `status.uncountedTerminatedPods` at a time.
    static let maxUncountedPods = 500

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let jobs: Lister<BatchV1.Job>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    /// Pods with a tracking finalizer whose Job is gone or finished.
    let orphanQueue: ControllerQueue
    let expectations = ControllerExpectations()
    let finalizerExpectations = JobFinalizerExpectations()
    let backoff = JobBackoffStore()
    /// The controller's clock (tests set it).
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        logger = context.logger
        self.now = now
        let jobInformer = context.informers.informer(BatchV1.Job.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        jobs = jobInformer.lister
        pods = podInformer.lister
        queue = ControllerQueue(name: "job", logger: context.logger)
        orphanQueue = ControllerQueue(name: "job_orphan_pod", logger: context.logger)
        let controller = self
        jobInformer.addEventHandler(EventHandler(
            onAdd: { controller.jobAdded($0) },
            onUpdate: { controller.jobUpdated($0, $1) },
            onDelete: { controller.jobDeleted($0) }))
        podInformer.addEventHandler(EventHandler(
            onAdd: { controller.podAdded($0) },
            onUpdate: { controller.podUpdated($0, $1) },
            onDelete: { controller.podDeleted($0, final: true) }))
    }

    public func run(workers: Int) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run(workers: workers) { try await reconcile($0) } }
            group.addTask { await orphanQueue.run(workers: 1) { try await reconcileOrphanPod($0) } }
        }
    }

    // MARK: Job events

    func jobAdded(_ job: BatchV1.Job) {
        queue.add(ObjectKeys.key(of: job))
    }

    func jobUpdated(_ old: BatchV1.Job, _ job: BatchV1.Job) {
        let key = ObjectKeys.key(of: job)
        if old.metadata.generation == job.metadata.generation {
            queue.addAfter(key, Self.syncBatchPeriod)
        } else {
            queue.add(key)
        }
        if JobSpecs.isFinished(job) { enqueueFinalizerCleanup(job) }
        if let start = job.status.startTime?.date, let deadline = job.spec.activeDeadlineSeconds,
           old.spec.activeDeadlineSeconds != deadline {
            let remaining = TimeInterval(deadline) - now().timeIntervalSince(start)
            queue.addAfter(key, .milliseconds(Int64(max(0, remaining) * 1000)))
        }
    }

    func jobDeleted(_ job: BatchV1.Job) {
        queue.add(ObjectKeys.key(of: job))
        enqueueFinalizerCleanup(job)
    }

    /// Queues the Job's pods that still carry the tracking finalizer for its removal.
    func enqueueFinalizerCleanup(_ job: BatchV1.Job) {
        for pod in pods.list(namespace: job.metadata.namespace ?? "")
        where OwnerReferences.controller(of: pod)?.uid == job.metadata.uid && JobPods.hasTrackingFinalizer(pod) {
            orphanQueue.add(ObjectKeys.key(of: pod))
        }
    }

    /// The Job named by `reference`, if the cache holds it with that UID.
    func resolve(_ reference: MetaV1.OwnerReference, namespace: String) -> BatchV1.Job? {
        guard reference.kind == "Job", let job = jobs.get(namespace: namespace, name: reference.name),
              job.metadata.uid == reference.uid else { return nil }
        return job
    }

    // MARK: Orphan pods

    /// Removes the tracking finalizer from a pod whose Job is gone or finished.
    public func reconcileOrphanPod(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let pod = pods.get(namespace: namespace, name: name), JobPods.hasTrackingFinalizer(pod) else { return }
        if let reference = OwnerReferences.controller(of: pod) {
            guard reference.kind == "Job", reference.apiVersion == "batch/v1" else { return }
            if let job = resolve(reference, namespace: namespace) {
                if JobSpecs.externalManager(job) != nil { return }
                if !JobSpecs.isFinished(job) { return }
            }
        }
        do {
            _ = try await client.patch(CoreV1.Pod.self, namespace: namespace, name: name, Self.removeFinalizerPatch)
        } catch let error as StatusError where error.isNotFound {}
    }

    /// The strategic merge patch that drops the tracking finalizer.
    static let removeFinalizerPatch = ObjectPatch(.strategicMerge, json: .object([
        "metadata": .object(["$deleteFromPrimitiveList/finalizers": .array([.string(JobPods.trackingFinalizer)])]),
    ]))
}
