import Foundation
import KubeClient
import KubeModel

/// The scheduling pass (upstream's `syncCronJob`) and the history cleanup.
extension CronJobController {
    func syncCronJob(_ cronJob: inout BatchV1.CronJob, _ children: [BatchV1.Job]) async -> CronJobSyncResult {
        var result = CronJobSyncResult(requeueAfter: nil, updateStatus: false, error: nil)
        let now = self.now()
        for job in children {
            let uid = job.metadata.uid ?? ""
            let active = Self.inActiveList(cronJob, uid: uid)
            if !active && !JobSpecs.isFinished(job) {
                do {
                    let fresh = try await client.get(BatchV1.CronJob.self, namespace: cronJob.metadata.namespace, name: cronJob.metadata.name ?? "")
                    if Self.inActiveList(fresh, uid: uid) {
                        cronJob = fresh
                        continue
                    }
                } catch {
                    result.error = error
                    return result
                }
                events.event(cronJob, type: .warning, reason: "UnexpectedJob",
                             message: "Saw a job that the controller did not create or forgot: \(job.metadata.name ?? "")")
            } else if active && JobSpecs.isFinished(job) {
                Self.deleteFromActiveList(&cronJob, uid: uid)
                events.event(cronJob, type: .normal, reason: "SawCompletedJob",
                             message: "Saw completed job: \(job.metadata.name ?? ""), status: \(JobSpecs.finishedConditionType(job) ?? "")")
                result.updateStatus = true
            } else if JobSpecs.isSucceeded(job), let completion = job.status.completionTime {
                if cronJob.status.lastSuccessfulTime == nil || completion > cronJob.status.lastSuccessfulTime! {
                    cronJob.status.lastSuccessfulTime = completion
                    result.updateStatus = true
                }
            }
        }
        let childUIDs = Set(children.compactMap(\.metadata.uid))
        for reference in cronJob.status.active ?? [] where !childUIDs.contains(reference.uid ?? "") {
            do {
                _ = try await client.get(BatchV1.Job.self, namespace: reference.namespace, name: reference.name ?? "")
            } catch let error as StatusError where error.isNotFound {
                events.event(cronJob, type: .normal, reason: "MissingJob", message: "Active job went missing: \(reference.name ?? "")")
                Self.deleteFromActiveList(&cronJob, uid: reference.uid ?? "")
                result.updateStatus = true
            } catch {
                result.error = error
                return result
            }
        }
        if cronJob.metadata.deletionTimestamp != nil { return result }
        if let zoneName = cronJob.spec.timeZone, TimeZone(identifier: zoneName) == nil {
            events.event(cronJob, type: .warning, reason: "UnknownTimeZone",
                         message: "invalid timeZone: \"\(zoneName)\": unknown time zone \(zoneName)")
            return result
        }
        if cronJob.spec.suspend == true { return result }
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule.parse(formattedSchedule(cronJob, warn: true))
        } catch {
            events.event(cronJob, type: .warning, reason: "UnparseableSchedule",
                         message: "unparseable schedule: \"\(cronJob.spec.schedule)\" : \(error)")
            return result
        }
        let zone = self.zone(of: cronJob)
        let recent = CronJobScheduling.mostRecentScheduleTime(cronJob, now: now, schedule: schedule, zone: zone,
                                                              includeStartingDeadline: true)
        if let error = recent.error {
            events.event(cronJob, type: .warning, reason: "InvalidSchedule", message: "invalid schedule: \(cronJob.spec.schedule) : \(error)")
            return result
        }
        guard let scheduledTime = recent.mostRecent, scheduledTime <= now else {
            // Nothing due: come back at the next schedule time.
            result.requeueAfter = CronJobScheduling.nextScheduleDelay(cronJob, now: now, schedule: schedule, zone: zone)
            return result
        }
        if recent.missed == .many {
            events.event(cronJob, type: .warning, reason: "TooManyMissedTimes",
                         message: "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
        }
        let nextDelay = CronJobScheduling.nextScheduleDelay(cronJob, now: now, schedule: schedule, zone: zone)
        if let deadline = cronJob.spec.startingDeadlineSeconds, scheduledTime.addingTimeInterval(TimeInterval(deadline)) < now {
            events.event(cronJob, type: .warning, reason: "MissSchedule",
                         message: "Missed scheduled time to start a job: \(CronJobScheduling.rfc1123Z(scheduledTime))")
            result.requeueAfter = nextDelay
            return result
        }
        let jobName = CronJobScheduling.jobName(cronJob, scheduledTime: scheduledTime)
        if (cronJob.status.active ?? []).contains(where: { $0.name == jobName && $0.namespace == cronJob.metadata.namespace })
            || cronJob.status.lastScheduleTime == MetaV1.Time(scheduledTime) {
            result.requeueAfter = nextDelay
            return result
        }
        if cronJob.spec.concurrencyPolicy == "Forbid" && !(cronJob.status.active ?? []).isEmpty {
            events.event(cronJob, type: .normal, reason: "JobAlreadyActive",
                         message: "Not starting job because prior execution is running and concurrency policy is Forbid")
            result.requeueAfter = nextDelay
            return result
        }
        if cronJob.spec.concurrencyPolicy == "Replace" {
            for reference in cronJob.status.active ?? [] {
                do {
                    let job = try await client.get(BatchV1.Job.self, namespace: reference.namespace, name: reference.name ?? "")
                    guard await deleteJob(&cronJob, job) else {
                        result.error = CronJobError(description: "could not replace job \(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")")
                        return result
                    }
                    result.updateStatus = true
                } catch {
                    events.event(cronJob, type: .warning, reason: "FailedGet", message: "Get job: \(error)")
                    result.error = error
                    return result
                }
            }
        }
        let request = CronJobScheduling.job(from: cronJob, scheduledTime: scheduledTime)
        var created: BatchV1.Job
        do {
            created = try await client.create(request)
            events.event(cronJob, type: .normal, reason: "SuccessfulCreate", message: "Created job \(created.metadata.name ?? "")")
        } catch let error as StatusError where error.isAlreadyExists {
            do {
                created = try await client.get(BatchV1.Job.self, namespace: request.metadata.namespace, name: jobName)
            } catch {
                result.error = error
                return result
            }
            // Someone else's Job of that name, or ours already listed: nothing more to record.
            guard let reference = OwnerReferences.controller(of: created), OwnerReferences.references(reference, cronJob),
                  !Self.inActiveList(cronJob, uid: created.metadata.uid ?? "") else { return result }
        } catch let error as StatusError where error.message.contains("being terminated") {
            result.error = error
            return result
        } catch {
            events.event(cronJob, type: .warning, reason: "FailedCreate", message: "Error creating job: \(error)")
            result.error = error
            return result
        }
        var reference = CoreV1.ObjectReference()
        reference.apiVersion = "batch/v1"
        reference.kind = "Job"
        reference.name = created.metadata.name
        reference.namespace = created.metadata.namespace
        reference.uid = created.metadata.uid
        reference.resourceVersion = created.metadata.resourceVersion
        cronJob.status.active = (cronJob.status.active ?? []) + [reference]
        cronJob.status.lastScheduleTime = MetaV1.Time(scheduledTime)
        result.updateStatus = true
        result.requeueAfter = CronJobScheduling.nextScheduleDelay(cronJob, now: now, schedule: schedule, zone: zone)
        return result
    }

    /// Deletes the oldest finished Jobs beyond `successfulJobsHistoryLimit` and `failedJobsHistoryLimit`.
    func cleanupFinishedJobs(_ cronJob: inout BatchV1.CronJob, _ children: [BatchV1.Job]) async -> Bool {
        guard cronJob.spec.successfulJobsHistoryLimit != nil || cronJob.spec.failedJobsHistoryLimit != nil else { return false }
        var changed = false
        let succeeded = children.filter { JobSpecs.finishedConditionType($0) == "Complete" }
        let failed = children.filter { JobSpecs.finishedConditionType($0) == "Failed" }
        for (finished, limit) in [(succeeded, cronJob.spec.successfulJobsHistoryLimit), (failed, cronJob.spec.failedJobsHistoryLimit)] {
            guard let limit, finished.count > Int(limit) else { continue }
            for job in finished.sorted(by: CronJobScheduling.byStartTime).prefix(finished.count - Int(limit)) {
                if await deleteJob(&cronJob, job) { changed = true }
            }
        }
        return changed
    }

    /// Deletes `job` (its pods in the background) and drops it from the active list.
    func deleteJob(_ cronJob: inout BatchV1.CronJob, _ job: BatchV1.Job) async -> Bool {
        do {
            try await client.delete(BatchV1.Job.self, namespace: job.metadata.namespace, name: job.metadata.name ?? "",
                                    DeleteOptions(propagationPolicy: .background))
        } catch {
            events.event(cronJob, type: .warning, reason: "FailedDelete", message: "Deleted job: \(error)")
            return false
        }
        Self.deleteFromActiveList(&cronJob, uid: job.metadata.uid ?? "")
        events.event(cronJob, type: .normal, reason: "SuccessfulDelete", message: "Deleted job \(job.metadata.name ?? "")")
        return true
    }

    static func inActiveList(_ cronJob: BatchV1.CronJob, uid: String) -> Bool {
        (cronJob.status.active ?? []).contains { $0.uid == uid }
    }

    static func deleteFromActiveList(_ cronJob: inout BatchV1.CronJob, uid: String) {
        cronJob.status.active = (cronJob.status.active ?? []).filter { $0.uid != uid }
    }
}

struct CronJobError: Error, CustomStringConvertible {
    var description: String
}
