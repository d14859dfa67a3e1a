import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `cronjob-controller` (the v2 controller): at each schedule time it creates the
/// Job `<cronjob>-<minutes since epoch>`, honours `startingDeadlineSeconds`, the concurrency
/// policy and suspension, keeps `status.active`/`lastScheduleTime`/`lastSuccessfulTime`,
/// deletes finished Jobs beyond the history limits, and requeues each CronJob for exactly its
/// next schedule time.
public struct CronJobController: Controller {
    public static let controllerName = "cronjob-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let cronJobs: Lister<BatchV1.CronJob>
    let jobs: Lister<BatchV1.Job>
    let queue: ControllerQueue
    /// The controller's clock (tests set it).
    let now: @Sendable () -> Date
    /// The zone of schedules without `spec.timeZone` (the controller manager's local zone).
    let localTimeZone: TimeZone

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() },
                localTimeZone: TimeZone = .current) {
        client = context.client
        events = context.events
        logger = context.logger
        self.now = now
        self.localTimeZone = localTimeZone
        let cronJobInformer = context.informers.informer(BatchV1.CronJob.self)
        let jobInformer = context.informers.informer(BatchV1.Job.self)
        cronJobs = cronJobInformer.lister
        jobs = jobInformer.lister
        queue = ControllerQueue(name: "cronjob", logger: context.logger)
        let controller = self
        cronJobInformer.addEventHandler(EventHandler(
            onAdd: { controller.queue.add(ObjectKeys.key(of: $0)) },
            onUpdate: { controller.cronJobUpdated($0, $1) },
            onDelete: { controller.queue.add(ObjectKeys.key(of: $0)) }))
        jobInformer.addEventHandler(EventHandler(
            onAdd: { controller.enqueueOwner(of: $0) },
            onUpdate: { old, job in
                guard old.metadata.resourceVersion != job.metadata.resourceVersion else { return }
                if let oldReference = OwnerReferences.controller(of: old), oldReference != OwnerReferences.controller(of: job) {
                    controller.enqueueOwner(of: old)
                }
                controller.enqueueOwner(of: job)
            },
            onDelete: { controller.enqueueOwner(of: $0) }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { key in
            if let delay = try await sync(key) { queue.addAfter(key, delay) }
        }
    }

    func enqueueOwner(of job: BatchV1.Job) {
        guard let reference = OwnerReferences.controller(of: job), reference.kind == "CronJob",
              let cronJob = cronJobs.get(namespace: job.metadata.namespace ?? "", name: reference.name),
              cronJob.metadata.uid == reference.uid else { return }
        queue.add(ObjectKeys.key(of: cronJob))
    }

    /// A new schedule or zone requeues for the new next time; other changes sync now.
    func cronJobUpdated(_ old: BatchV1.CronJob, _ cronJob: BatchV1.CronJob) {
        let key = ObjectKeys.key(of: cronJob)
        guard old.spec.schedule != cronJob.spec.schedule || old.spec.timeZone != cronJob.spec.timeZone else {
            queue.add(key)
            return
        }
        do {
            let schedule = try CronSchedule.parse(formattedSchedule(cronJob, warn: false))
            if let delay = CronJobScheduling.nextScheduleDelay(cronJob, now: now(), schedule: schedule, zone: zone(of: cronJob)) {
                queue.addAfter(key, Self.duration(delay))
            }
        } catch {
            events.event(cronJob, type: .warning, reason: "UnParseableCronJobSchedule",
                         message: "unparseable schedule for cronjob: \(cronJob.spec.schedule)")
        }
    }

    /// The schedule with the CronJob's zone applied (warning about `TZ=` in the schedule itself).
    func formattedSchedule(_ cronJob: BatchV1.CronJob, warn: Bool) -> String {
        if cronJob.spec.schedule.contains("TZ") {
            if warn {
                events.event(cronJob, type: .warning, reason: "UnsupportedSchedule", message:
                    "CRON_TZ or TZ used in schedule \"\(cronJob.spec.schedule)\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details")
            }
            return cronJob.spec.schedule
        }
        if let zone = cronJob.spec.timeZone, TimeZone(identifier: zone) != nil {
            return "TZ=\(zone) \(cronJob.spec.schedule)"
        }
        return cronJob.spec.schedule
    }

    func zone(of cronJob: BatchV1.CronJob) -> TimeZone {
        cronJob.spec.timeZone.flatMap(TimeZone.init(identifier:)) ?? localTimeZone
    }

    static func duration(_ seconds: TimeInterval) -> Duration {
        .milliseconds(Int64((max(0, seconds) * 1000).rounded(.up)))
    }

    /// One pass over CronJob `key` (upstream's `sync`): history cleanup, then scheduling;
    /// answers when to look again.
    public func sync(_ key: String) async throws -> Duration? {
        let (namespace, name) = ObjectKeys.split(key)
        guard let cronJob = cronJobs.get(namespace: namespace, name: name) else { return nil }
        let children = jobs.list(namespace: namespace).filter { OwnerReferences.controller(of: $0)?.name == name }
        var updated = cronJob
        let cleanedUp = await cleanupFinishedJobs(&updated, children)
        let result = await syncCronJob(&updated, children)
        if cleanedUp || result.updateStatus {
            _ = try await client.updateStatus(updated)
        }
        if let delay = result.requeueAfter { return Self.duration(delay) }
        if let error = result.error { throw error }
        return nil
    }
}

/// What one scheduling pass decided.
struct CronJobSyncResult {
    var requeueAfter: TimeInterval?
    var updateStatus: Bool
    var error: (any Error)?
}
