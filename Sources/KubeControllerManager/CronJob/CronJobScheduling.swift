import Foundation
import KubeModel

/// When a CronJob is due (upstream's cronjob `utils.go`): the most recent unmet schedule
/// time, how many were missed, how long until the next one, and the Job made for a
/// scheduled time.
enum CronJobScheduling {
    static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"
    /// Requeues aim this far past the schedule, for clock skew (upstream's `nextScheduleDelta`).
    static let nextScheduleDelta: TimeInterval = 0.1

    enum MissedSchedules: Sendable, Equatable {
        case none, few, many
    }

    struct InvalidSchedule: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    struct MostRecent: Equatable {
        /// The last schedule time, else the creation time (raised to now − startingDeadlineSeconds when asked).
        var earliest: Date
        /// The latest schedule time at or before now, nil when none.
        var mostRecent: Date?
        var missed: MissedSchedules
        var error: InvalidSchedule?
    }

    static func mostRecentScheduleTime(_ cronJob: BatchV1.CronJob, now: Date, schedule: CronSchedule, zone: TimeZone,
                                       includeStartingDeadline: Bool) -> MostRecent {
        var earliest = cronJob.status.lastScheduleTime?.date ?? cronJob.metadata.creationTimestamp?.date ?? Date(timeIntervalSince1970: 0)
        if includeStartingDeadline, let deadline = cronJob.spec.startingDeadlineSeconds {
            let schedulingDeadline = now.addingTimeInterval(-TimeInterval(deadline))
            if schedulingDeadline > earliest { earliest = schedulingDeadline }
        }
        let tooClose = InvalidSchedule(description: "time difference between two schedules is less than 1 second")
        guard let t1 = schedule.next(after: earliest, zone: zone) else {
            return MostRecent(earliest: earliest, mostRecent: nil, missed: .none, error: tooClose)
        }
        if now < t1 { return MostRecent(earliest: earliest, mostRecent: nil, missed: .none) }
        guard let t2 = schedule.next(after: t1, zone: zone) else {
            return MostRecent(earliest: earliest, mostRecent: nil, missed: .none, error: tooClose)
        }
        if now < t2 { return MostRecent(earliest: earliest, mostRecent: t1, missed: .none) }
        let between = Int64(t2.timeIntervalSince(t1).rounded())
        guard between >= 1 else { return MostRecent(earliest: earliest, mostRecent: nil, missed: .none, error: tooClose) }
        // An estimate of the misses from the first interval; the exact latest time is then
        // found by stepping the schedule from just before the estimate.
        let elapsed = Int64(now.timeIntervalSince(t1))
        let missedCount = elapsed / between + 1
        let potentialEarliest = t1.addingTimeInterval(TimeInterval((missedCount - 2) * between))
        var mostRecent: Date?
        var cursor = schedule.next(after: potentialEarliest, zone: zone)
        while let time = cursor, time <= now {
            mostRecent = time
            cursor = schedule.next(after: time, zone: zone)
        }
        let missed: MissedSchedules = missedCount > 100 ? .many : (missedCount > 0 ? .few : .none)
        return MostRecent(earliest: earliest, mostRecent: mostRecent, missed: missed)
    }

    /// How long until the schedule after the most recent one (plus the skew delta); nil when
    /// the schedule never fires again.
    static func nextScheduleDelay(_ cronJob: BatchV1.CronJob, now: Date, schedule: CronSchedule, zone: TimeZone) -> TimeInterval? {
        let recent = mostRecentScheduleTime(cronJob, now: now, schedule: schedule, zone: zone, includeStartingDeadline: false)
        let base: Date
        if recent.error != nil {
            base = now
        } else if let mostRecent = recent.mostRecent {
            base = mostRecent
        } else {
            base = recent.missed == .none ? recent.earliest : now
        }
        guard let next = schedule.next(after: base, zone: zone) else { return nil }
        return next.addingTimeInterval(nextScheduleDelta).timeIntervalSince(now)
    }

    /// `<cronjob>-<minutes since the epoch of the scheduled time>`.
    static func jobName(_ cronJob: BatchV1.CronJob, scheduledTime: Date) -> String {
        "\(cronJob.metadata.name ?? "")-\(Int64(scheduledTime.timeIntervalSince1970.rounded(.down)) / 60)"
    }

    /// The Job for `scheduledTime`: the template's labels, annotations and spec, the
    /// scheduled-timestamp annotation (RFC 3339 in the CronJob's zone, UTC without one) and
    /// a controller reference.
    static func job(from cronJob: BatchV1.CronJob, scheduledTime: Date) -> BatchV1.Job {
        var job = BatchV1.Job()
        job.metadata.name = jobName(cronJob, scheduledTime: scheduledTime)
        job.metadata.namespace = cronJob.metadata.namespace
        job.metadata.labels = cronJob.spec.jobTemplate.metadata?.labels ?? [:]
        var annotations = cronJob.spec.jobTemplate.metadata?.annotations ?? [:]
        let zone = cronJob.spec.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        annotations[scheduledTimestampAnnotation] = rfc3339(scheduledTime, zone: zone)
        job.metadata.annotations = annotations
        job.metadata.creationTimestamp = MetaV1.Time(scheduledTime)
        job.metadata.ownerReferences = [OwnerReferences.controllerReference(to: cronJob)]
        job.spec = cronJob.spec.jobTemplate.spec ?? BatchV1.JobSpec()
        return job
    }

    /// Go's `time.RFC3339` in `zone`: `2016-05-19T10:00:00Z`, `2016-05-19T12:00:00+02:00`.
    static func rfc3339(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssXXXXX"
        return formatter.string(from: date)
    }

    /// Go's `time.RFC1123Z` in UTC: `Thu, 19 May 2016 10:00:00 +0000`.
    static func rfc1123Z(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// Oldest first by start time (jobs without one last), then by name.
    static func byStartTime(_ a: BatchV1.Job, _ b: BatchV1.Job) -> Bool {
        switch (a.status.startTime, b.status.startTime) {
        case (nil, nil): return (a.metadata.name ?? "") < (b.metadata.name ?? "")
        case (nil, _): return false
        case (_, nil): return true
        case let (x?, y?): return x == y ? (a.metadata.name ?? "") < (b.metadata.name ?? "") : x < y
        }
    }
}
