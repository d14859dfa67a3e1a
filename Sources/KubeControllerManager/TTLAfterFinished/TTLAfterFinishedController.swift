import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `ttl-after-finished-controller`: a finished Job with
/// `spec.ttlSecondsAfterFinished` is deleted (its pods in the background) once that many
/// seconds have passed since its `Complete` or `Failed` condition; before deleting, the Job is
/// read live and checked again. Jobs not yet due are requeued for their expiry.
public struct TTLAfterFinishedController: Controller {
    public static let controllerName = "ttl-after-finished-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let jobs: Lister<BatchV1.Job>
    let queue: ControllerQueue
    /// The controller's clock (tests set it).
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        self.now = now
        let jobInformer = context.informers.informer(BatchV1.Job.self)
        jobs = jobInformer.lister
        let queue = ControllerQueue(name: "ttl_jobs_to_delete", logger: context.logger)
        self.queue = queue
        let enqueue: @Sendable (BatchV1.Job) -> Void = { job in
            if job.metadata.deletionTimestamp == nil && Self.needsCleanup(job) { queue.add(ObjectKeys.key(of: job)) }
        }
        jobInformer.addEventHandler(EventHandler(onAdd: enqueue, onUpdate: { _, job in enqueue(job) }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    struct NotDue: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// Finished and with a TTL.
    static func needsCleanup(_ job: BatchV1.Job) -> Bool {
        job.spec.ttlSecondsAfterFinished != nil && JobSpecs.isFinished(job)
    }

    /// When the Job finished and when its TTL expires.
    static func finishAndExpiry(_ job: BatchV1.Job) throws(NotDue) -> (finished: Date, expires: Date) {
        let name = "\(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")"
        guard let ttl = job.spec.ttlSecondsAfterFinished, JobSpecs.isFinished(job) else {
            throw NotDue(description: "job \(name) should not be cleaned up")
        }
        guard let condition = job.status.conditions?.first(where: {
            ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True"
        }), let finished = condition.lastTransitionTime?.date else {
            throw NotDue(description: "unable to find the time when the Job \(name) finished")
        }
        return (finished, finished.addingTimeInterval(TimeInterval(ttl)))
    }

    /// The time left until the Job's TTL expires at `since` (negative once past), and the expiry.
    static func timeLeft(_ job: BatchV1.Job, since: Date) throws(NotDue) -> (left: TimeInterval, expires: Date) {
        let (_, expires) = try finishAndExpiry(job)
        return (expires.timeIntervalSince(since), expires)
    }

    /// True when `job`'s TTL has expired; otherwise queues it for the expiry.
    func expired(_ job: BatchV1.Job) throws -> Bool {
        guard job.metadata.deletionTimestamp == nil, Self.needsCleanup(job) else { return false }
        let (left, _) = try Self.timeLeft(job, since: now())
        if left <= 0 { return true }
        queue.addAfter(ObjectKeys.key(of: job), .milliseconds(Int64((left * 1000).rounded(.up))))
        return false
    }

    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let cached = jobs.get(namespace: namespace, name: name), try expired(cached) else { return }
        // The cache may be stale (the TTL changed): decide on the live Job.
        let fresh: BatchV1.Job
        do {
            fresh = try await client.get(BatchV1.Job.self, namespace: namespace, name: name)
        } catch let error as StatusError where error.isNotFound {
            return
        }
        guard try expired(fresh) else { return }
        do {
            try await client.delete(BatchV1.Job.self, namespace: namespace, name: name,
                                    DeleteOptions(propagationPolicy: .background, preconditionUID: fresh.metadata.uid))
        } catch let error as StatusError where error.isNotFound {}
    }
}
