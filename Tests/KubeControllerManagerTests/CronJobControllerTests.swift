import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct CronJobControllerTests {
    static let topOfTheHour = CronJobSchedulingTests.topOfTheHour
    static let utc = TimeZone(identifier: "UTC")!

    static func cronJob(schedule: String = "0 * * * *", concurrency: String = "Allow", suspend: Bool = false,
                        startingDeadline: Int64? = nil) -> BatchV1.CronJob {
        var cronJob = BatchV1.CronJob()
        cronJob.metadata.name = "mycronjob"
        cronJob.metadata.namespace = "default"
        cronJob.metadata.uid = "1a2b3c"
        cronJob.metadata.resourceVersion = "1"
        // Created just before the hour, as upstream's tests.
        cronJob.metadata.creationTimestamp = MetaV1.Time(topOfTheHour.addingTimeInterval(-60))
        cronJob.spec.schedule = schedule
        cronJob.spec.concurrencyPolicy = concurrency
        cronJob.spec.suspend = suspend
        cronJob.spec.startingDeadlineSeconds = startingDeadline
        cronJob.spec.successfulJobsHistoryLimit = 3
        cronJob.spec.failedJobsHistoryLimit = 1
        cronJob.spec.jobTemplate.metadata = MetaV1.ObjectMeta()
        cronJob.spec.jobTemplate.metadata?.labels = ["app": "cron"]
        cronJob.spec.jobTemplate.spec = JobFixtures.job(parallelism: 1, completions: 1).spec
        return cronJob
    }

    static func job(_ name: String, of cronJob: BatchV1.CronJob, finished: String? = nil, start: TimeInterval = 0,
                    completion: TimeInterval? = nil) -> BatchV1.Job {
        var job = BatchV1.Job()
        job.metadata.name = name
        job.metadata.namespace = "default"
        job.metadata.uid = "uid-\(name)"
        job.metadata.ownerReferences = [OwnerReferences.controllerReference(to: cronJob)]
        job.status.startTime = MetaV1.Time(topOfTheHour.addingTimeInterval(start))
        if let finished {
            job.status.conditions = [JobSpecs.newCondition(finished, reason: "", message: "", now: topOfTheHour)]
        }
        job.status.completionTime = completion.map { MetaV1.Time(topOfTheHour.addingTimeInterval($0)) }
        return job
    }

    static func reference(_ job: BatchV1.Job) -> CoreV1.ObjectReference {
        var reference = CoreV1.ObjectReference()
        reference.kind = "Job"
        reference.apiVersion = "batch/v1"
        reference.name = job.metadata.name
        reference.namespace = job.metadata.namespace
        reference.uid = job.metadata.uid
        return reference
    }

    struct Setup {
        let harness: ControllerTestHarness
        let controller: CronJobController
    }

    static func setup(_ cronJob: BatchV1.CronJob, jobs: [BatchV1.Job] = [], now: TimeInterval) -> Setup {
        let harness = ControllerTestHarness(objects: [cronJob] + jobs)
        harness.cache(cronJob)
        for job in jobs { harness.cache(job) }
        let controller = CronJobController(context: harness.context, now: { topOfTheHour.addingTimeInterval(now) },
                                           localTimeZone: utc)
        return Setup(harness: harness, controller: controller)
    }

    func stored(_ setup: Setup) throws -> BatchV1.CronJob {
        try #require(setup.harness.client.object(BatchV1.CronJob.self, namespace: "default", name: "mycronjob"))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var concurrency = "Allow"
        var suspend = false
        var startingDeadline: Int64?
        var ranPreviously = false
        var stillActive = false
        var now: TimeInterval
        var expectCreate: Bool
        var expectDelete = false
        var events: [String]
        var requeue: TimeInterval?
        var testDescription: String { label }
    }

    static let jobName = "mycronjob-24394200"

    // upstream cronjob_controllerv2_test.go TestControllerV2SyncCronJob (hourly schedule,
    // created a minute before the hour; "is time" is just after the hour).
    static let cases: [Case] = [
        Case(label: "never ran, not valid time, A", now: -30, expectCreate: false, events: [], requeue: 30.1),
        Case(label: "never ran, is time, A", now: 30, expectCreate: true,
             events: ["Normal SuccessfulCreate Created job \(jobName)"], requeue: 3570.1),
        Case(label: "never ran, is time, F", concurrency: "Forbid", now: 30, expectCreate: true,
             events: ["Normal SuccessfulCreate Created job \(jobName)"], requeue: 3570.1),
        Case(label: "never ran, is time, suspended", suspend: true, now: 30, expectCreate: false, events: [], requeue: nil),
        // The deadline moves the earliest time considered past the schedule: nothing is due.
        Case(label: "never ran, is time, past deadline", startingDeadline: 10, now: 30, expectCreate: false, events: [],
             requeue: 3570.1),
        Case(label: "never ran, is time, within deadline", startingDeadline: 60, now: 30, expectCreate: true,
             events: ["Normal SuccessfulCreate Created job \(jobName)"], requeue: 3570.1),
        Case(label: "prev ran but done, is time, A", ranPreviously: true, now: 3630, expectCreate: true,
             events: ["Normal SuccessfulCreate Created job mycronjob-24394260"], requeue: 3570.1),
        Case(label: "still active, is time, A", ranPreviously: true, stillActive: true, now: 3630, expectCreate: true,
             events: ["Normal SuccessfulCreate Created job mycronjob-24394260"], requeue: 3570.1),
        Case(label: "still active, is time, F", concurrency: "Forbid", ranPreviously: true, stillActive: true, now: 3630,
             expectCreate: false,
             events: ["Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid"],
             requeue: 3570.1),
        Case(label: "still active, is time, R", concurrency: "Replace", ranPreviously: true, stillActive: true, now: 3630,
             expectCreate: true, expectDelete: true,
             events: ["Normal SuccessfulDelete Deleted job \(jobName)", "Normal SuccessfulCreate Created job mycronjob-24394260"],
             requeue: 3570.1),
        Case(label: "prev ran, not time", ranPreviously: true, now: 1800, expectCreate: false, events: [], requeue: 1800.1),
    ]

    @Test(arguments: cases)
    func syncCronJob(_ testCase: Case) async throws {
        var cronJob = Self.cronJob(concurrency: testCase.concurrency, suspend: testCase.suspend, startingDeadline: testCase.startingDeadline)
        var jobs: [BatchV1.Job] = []
        if testCase.ranPreviously {
            cronJob.status.lastScheduleTime = MetaV1.Time(Self.topOfTheHour)
            let previous = Self.job(Self.jobName, of: cronJob, finished: testCase.stillActive ? nil : "Complete", completion: 20)
            jobs.append(previous)
            if testCase.stillActive { cronJob.status.active = [Self.reference(previous)] }
        }
        let setup = Self.setup(cronJob, jobs: jobs, now: testCase.now)
        let delay = try await setup.controller.sync("default/mycronjob")
        let writes = setup.harness.client.writes
        #expect(writes.contains { $0.verb == "create" && $0.kind == "Job" } == testCase.expectCreate)
        #expect(writes.contains { $0.verb == "delete" && $0.kind == "Job" } == testCase.expectDelete)
        #expect(setup.harness.events.events.map(\.description) == testCase.events)
        if let requeue = testCase.requeue {
            let got = try #require(delay)
            #expect(abs(Double(got.components.seconds) + Double(got.components.attoseconds) / 1e18 - requeue) < 0.01)
        } else {
            #expect(delay == nil)
        }
        if testCase.expectCreate {
            let status = try stored(setup).status
            let createdName = try #require(writes.first { $0.verb == "create" }?.name)
            let created = try #require(setup.harness.client.object(BatchV1.Job.self, namespace: "default", name: createdName))
            #expect(status.active?.contains { $0.uid == created.metadata.uid } == true)
            #expect(status.lastScheduleTime == MetaV1.Time(Self.topOfTheHour.addingTimeInterval(testCase.ranPreviously ? 3600 : 0)))
            #expect(created.metadata.labels == ["app": "cron"])
            #expect(created.metadata.ownerReferences?.first?.uid == "1a2b3c")
            #expect(created.metadata.annotations?["batch.kubernetes.io/cronjob-scheduled-timestamp"] != nil)
            if testCase.expectDelete {
                let delete = try #require(writes.first { $0.verb == "delete" })
                #expect(delete.deleteOptions?.propagationPolicy == .background)
                #expect(status.active?.count == 1)
            }
        }
    }

    @Test func completedActiveJobIsRemovedFromActiveThenLastSuccessfulTimeIsSet() async throws {
        var cronJob = Self.cronJob()
        cronJob.status.lastScheduleTime = MetaV1.Time(Self.topOfTheHour)
        let done = Self.job(Self.jobName, of: cronJob, finished: "Complete", completion: 25)
        cronJob.status.active = [Self.reference(done)]
        let setup = Self.setup(cronJob, jobs: [done], now: 1800)
        _ = try await setup.controller.sync("default/mycronjob")
        var status = try stored(setup).status
        #expect(status.active ?? [] == [])
        #expect(setup.harness.events.events.map(\.description) == ["Normal SawCompletedJob Saw completed job: \(Self.jobName), status: Complete"])
        setup.harness.cache(try stored(setup))
        _ = try await setup.controller.sync("default/mycronjob")
        status = try stored(setup).status
        #expect(status.lastSuccessfulTime == MetaV1.Time(Self.topOfTheHour.addingTimeInterval(25)))
    }

    @Test func historyLimitsDeleteTheOldestFinishedJobs() async throws {
        let cronJob = Self.cronJob()
        let jobs = (0..<5).map { Self.job("succeeded-\($0)", of: cronJob, finished: "Complete", start: TimeInterval($0) * 60) }
            + (0..<3).map { Self.job("failed-\($0)", of: cronJob, finished: "Failed", start: TimeInterval($0) * 60) }
        let setup = Self.setup(cronJob, jobs: jobs, now: -30)
        _ = try await setup.controller.sync("default/mycronjob")
        let deleted = setup.harness.client.writes.filter { $0.verb == "delete" }
        #expect(deleted.map(\.name) == ["succeeded-0", "succeeded-1", "failed-0", "failed-1"])
        #expect(deleted.allSatisfy { $0.deleteOptions?.propagationPolicy == .background })
        #expect(setup.harness.events.events.map(\.description) == [
            "Normal SuccessfulDelete Deleted job succeeded-0", "Normal SuccessfulDelete Deleted job succeeded-1",
            "Normal SuccessfulDelete Deleted job failed-0", "Normal SuccessfulDelete Deleted job failed-1",
        ])
    }

    @Test func timeZoneDecidesWhenTheJobRunsAndItsAnnotation() async throws {
        var cronJob = Self.cronJob(schedule: "0 12 * * *")
        cronJob.spec.timeZone = "Europe/Rome"
        // 12:00 in Rome is 10:00 UTC on 2016-05-19.
        let setup = Self.setup(cronJob, now: 30)
        _ = try await setup.controller.sync("default/mycronjob")
        let created = try #require(setup.harness.client.objects(BatchV1.Job.self).first)
        #expect(created.metadata.name == Self.jobName)
        #expect(created.metadata.annotations?["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2016-05-19T12:00:00+02:00")
    }

    @Test func unknownTimeZoneIsReported() async throws {
        var cronJob = Self.cronJob()
        cronJob.spec.timeZone = "Mars/Olympus"
        let setup = Self.setup(cronJob, now: 30)
        let delay = try await setup.controller.sync("default/mycronjob")
        #expect(delay == nil)
        #expect(setup.harness.events.events.map(\.reason) == ["UnknownTimeZone"])
        #expect(setup.harness.client.writes.isEmpty)
    }

    @Test func tooManyMissedStartTimesAreReportedAndTheLatestRuns() async throws {
        let cronJob = Self.cronJob(schedule: "* * * * *")
        let setup = Self.setup(cronJob, now: 200 * 60 + 30)
        _ = try await setup.controller.sync("default/mycronjob")
        #expect(setup.harness.events.events.map(\.reason) == ["TooManyMissedTimes", "SuccessfulCreate"])
        #expect(setup.harness.client.objects(BatchV1.Job.self).map { $0.metadata.name ?? "" } == ["mycronjob-\(24394200 + 200)"])
    }

    @Test func alreadyExistingJobOfOursIsAddedToActive() async throws {
        let cronJob = Self.cronJob()
        var existing = Self.job(Self.jobName, of: cronJob)
        existing.status = BatchV1.JobStatus()
        let harness = ControllerTestHarness(objects: [cronJob, existing])
        harness.cache(cronJob)
        let controller = CronJobController(context: harness.context, now: { Self.topOfTheHour.addingTimeInterval(30) },
                                           localTimeZone: Self.utc)
        _ = try await controller.sync("default/mycronjob")
        let status = try #require(harness.client.object(BatchV1.CronJob.self, namespace: "default", name: "mycronjob")).status
        #expect(status.active?.map(\.name) == [Self.jobName])
        #expect(harness.events.events.isEmpty)
    }
}
