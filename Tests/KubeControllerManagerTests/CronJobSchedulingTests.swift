import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct CronJobSchedulingTests {
    static let topOfTheHour = Date(timeIntervalSince1970: 1_463_652_000) // 2016-05-19T10:00:00Z
    static let utc = TimeZone(identifier: "UTC")!

    static func after(_ seconds: TimeInterval) -> Date { topOfTheHour.addingTimeInterval(seconds) }

    static func cronJob(_ schedule: String, created: TimeInterval = 0, lastScheduled: TimeInterval? = nil,
                        startingDeadline: Int64? = nil) -> BatchV1.CronJob {
        var cronJob = BatchV1.CronJob()
        cronJob.metadata.name = "mycronjob"
        cronJob.metadata.namespace = "default"
        cronJob.metadata.uid = "1a2b3c"
        cronJob.metadata.creationTimestamp = MetaV1.Time(after(created))
        cronJob.spec.schedule = schedule
        cronJob.spec.startingDeadlineSeconds = startingDeadline
        cronJob.status.lastScheduleTime = lastScheduled.map { MetaV1.Time(after($0)) }
        return cronJob
    }

    struct RecentCase: Sendable, CustomTestStringConvertible {
        var label: String
        var cronJob: BatchV1.CronJob
        var includeStartingDeadline = false
        var now: TimeInterval
        var earliest: TimeInterval
        var recent: TimeInterval?
        var missed: CronJobScheduling.MissedSchedules = .none
        var wantError = false
        var testDescription: String { label }
    }

    static let minute: TimeInterval = 60, hour: TimeInterval = 3600, day: TimeInterval = 86400

    // upstream utils_test.go TestMostRecentScheduleTime.
    static let recentCases: [RecentCase] = [
        RecentCase(label: "now before next schedule", cronJob: cronJob("0 * * * *"), now: 30, earliest: 0, recent: nil),
        RecentCase(label: "now just after next schedule", cronJob: cronJob("0 * * * *"), now: 61 * minute, earliest: 0, recent: 60 * minute),
        RecentCase(label: "missed 5 schedules", cronJob: cronJob("0 * * * *", created: 10), now: 301 * minute, earliest: 10,
                   recent: 300 * minute, missed: .few),
        RecentCase(label: "complex schedule", cronJob: cronJob("30 6-16/4 * * 1-5", lastScheduled: 30 * minute),
                   now: day + 31 * minute, earliest: 30 * minute, recent: day + 30 * minute, missed: .few),
        RecentCase(label: "another complex schedule", cronJob: cronJob("30 10,11,12 * * 1-5", lastScheduled: 30 * minute),
                   now: 30 * hour + 30 * minute, earliest: 30 * minute, recent: nil, missed: .few),
        RecentCase(label: "complex schedule with longer diff between executions",
                   cronJob: cronJob("30 6-16/4 * * 1-5", lastScheduled: 30 * minute),
                   now: 96 * hour + 31 * minute, earliest: 30 * minute, recent: 96 * hour + 30 * minute, missed: .few),
        RecentCase(label: "complex schedule with shorter diff between executions", cronJob: cronJob("30 6-16/4 * * 1-5"),
                   now: day + 31 * minute, earliest: 0, recent: day + 30 * minute, missed: .few),
        RecentCase(label: "@every schedule",
                   cronJob: cronJob("@every 1h", created: -59 * minute, lastScheduled: minute, startingDeadline: 10),
                   now: 7 * day, earliest: minute, recent: 6 * day + 23 * hour + minute, missed: .many),
        RecentCase(label: "rogue cronjob", cronJob: cronJob("59 23 31 2 *", created: 10), now: hour, earliest: 10, wantError: true),
        RecentCase(label: "earliestTime being CreationTimestamp and LastScheduleTime", cronJob: cronJob("0 * * * *", lastScheduled: 0),
                   now: 30, earliest: 0, recent: nil),
        RecentCase(label: "earliestTime being LastScheduleTime", cronJob: cronJob("*/5 * * * *", lastScheduled: 30 * minute),
                   now: 31 * minute, earliest: 30 * minute, recent: nil),
        RecentCase(label: "earliestTime being LastScheduleTime (within StartingDeadlineSeconds)",
                   cronJob: cronJob("*/5 * * * *", lastScheduled: 30 * minute, startingDeadline: 60),
                   now: 31 * minute, earliest: 30 * minute, recent: nil),
        RecentCase(label: "earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)",
                   cronJob: cronJob("*/5 * * * *", lastScheduled: 30 * minute, startingDeadline: 60), includeStartingDeadline: true,
                   now: 32 * minute, earliest: 31 * minute, recent: nil),
    ]

    @Test(arguments: recentCases)
    func mostRecentScheduleTime(_ testCase: RecentCase) throws {
        let schedule = try CronSchedule.parse(testCase.cronJob.spec.schedule)
        let got = CronJobScheduling.mostRecentScheduleTime(testCase.cronJob, now: Self.after(testCase.now), schedule: schedule,
                                                           zone: Self.utc, includeStartingDeadline: testCase.includeStartingDeadline)
        if testCase.wantError {
            #expect(got.error != nil)
            return
        }
        #expect(got.error == nil)
        #expect(got.earliest == Self.after(testCase.earliest))
        #expect(got.mostRecent == testCase.recent.map(Self.after))
        #expect(got.missed == testCase.missed)
    }

    struct DelayCase: Sendable, CustomTestStringConvertible {
        var label: String
        var cronJob: BatchV1.CronJob
        var now: TimeInterval
        var want: TimeInterval
        var testDescription: String { label }
    }

    // upstream TestNextScheduleTimeDuration.
    static let delayCases: [DelayCase] = [
        DelayCase(label: "complex schedule skipping weekend", cronJob: cronJob("30 6-16/4 * * 1-5", lastScheduled: 30 * minute),
                  now: day + 31 * minute, want: 3 * hour + 59 * minute + 0.1),
        DelayCase(label: "another complex schedule skipping weekend", cronJob: cronJob("30 10,11,12 * * 1-5", lastScheduled: 30 * minute),
                  now: 30 * hour + 30 * minute, want: 66 * hour + 0.1),
        DelayCase(label: "once a week cronjob, missed two runs", cronJob: cronJob("0 12 * * 4", lastScheduled: 2 * hour),
                  now: 19 * day + hour + 30 * minute, want: 48 * hour + 30 * minute + 0.1),
        DelayCase(label: "no previous run of a cronjob", cronJob: cronJob("0 12 * * 5"), now: 6 * hour, want: 20 * hour + 0.1),
    ]

    @Test(arguments: delayCases)
    func nextScheduleDelay(_ testCase: DelayCase) throws {
        let schedule = try CronSchedule.parse(testCase.cronJob.spec.schedule)
        let delay = try #require(CronJobScheduling.nextScheduleDelay(testCase.cronJob, now: Self.after(testCase.now),
                                                                     schedule: schedule, zone: Self.utc))
        #expect(abs(delay - testCase.want) < 0.001)
    }

    // upstream TestGetJobFromTemplate2.
    @Test(arguments: [(nil, "2016-05-19T10:00:00Z"), ("UTC", "2016-05-19T10:00:00Z"), ("Europe/Rome", "2016-05-19T12:00:00+02:00")])
    func jobFromTemplate(_ timeZone: String?, _ annotation: String) {
        var cronJob = Self.cronJob("* * * * ?")
        cronJob.spec.timeZone = timeZone
        cronJob.spec.jobTemplate.metadata = MetaV1.ObjectMeta()
        cronJob.spec.jobTemplate.metadata?.labels = ["a": "b"]
        cronJob.spec.jobTemplate.metadata?.annotations = ["x": "y"]
        var jobSpec = BatchV1.JobSpec()
        jobSpec.activeDeadlineSeconds = 1
        cronJob.spec.jobTemplate.spec = jobSpec
        let job = CronJobScheduling.job(from: cronJob, scheduledTime: Self.topOfTheHour)
        #expect(job.metadata.name == "mycronjob-24394200")
        #expect(job.metadata.labels == ["a": "b"])
        #expect(job.metadata.annotations == ["x": "y", "batch.kubernetes.io/cronjob-scheduled-timestamp": annotation])
        #expect(job.metadata.ownerReferences?.first?.kind == "CronJob")
        #expect(job.metadata.ownerReferences?.first?.uid == "1a2b3c")
        #expect(job.metadata.ownerReferences?.first?.controller == true)
        #expect(job.spec.activeDeadlineSeconds == 1)
    }

    @Test func missedScheduleTimeIsFormattedAsRFC1123Z() {
        #expect(CronJobScheduling.rfc1123Z(Self.topOfTheHour) == "Thu, 19 May 2016 10:00:00 +0000")
    }

    // upstream TestByJobStartTime.
    @Test func jobsSortByStartTimeThenName() {
        func job(_ name: String, _ start: TimeInterval?) -> BatchV1.Job {
            var job = BatchV1.Job()
            job.metadata.name = name
            job.status.startTime = start.map { MetaV1.Time(Self.after($0)) }
            return job
        }
        let sorted = [job("b", nil), job("a", nil), job("c", 100), job("b2", 0), job("a2", 0)].sorted(by: CronJobScheduling.byStartTime)
        #expect(sorted.map { $0.metadata.name ?? "" } == ["a2", "b2", "c", "a", "b"])
    }
}
