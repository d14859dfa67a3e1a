import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct TTLAfterFinishedControllerTests {
    static let now = JobFixtures.referenceTime

    static func job(completed: TimeInterval? = nil, failed: TimeInterval? = nil, ttl: Int32?) -> BatchV1.Job {
        var job = JobFixtures.job(parallelism: 1, completions: 1)
        if let completed {
            job.status.conditions = [JobSpecs.newCondition("Complete", reason: "", message: "", now: now.addingTimeInterval(completed))]
        }
        if let failed {
            job.status.conditions = (job.status.conditions ?? [])
                + [JobSpecs.newCondition("Failed", reason: "", message: "", now: now.addingTimeInterval(failed))]
        }
        job.spec.ttlSecondsAfterFinished = ttl
        return job
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var job: BatchV1.Job
        var error: String?
        var timeLeft: TimeInterval = 0
        var testDescription: String { label }
    }

    // upstream ttlafterfinished_controller_test.go TestTimeLeft.
    static let cases: [Case] = [
        Case(label: "Error case: Job unfinished", job: job(ttl: 100), error: "should not be cleaned up"),
        Case(label: "Error case: Job completed now, no TTL", job: job(completed: 0, ttl: nil), error: "should not be cleaned up"),
        Case(label: "Job completed now, 0s TTL", job: job(completed: 0, ttl: 0), timeLeft: 0),
        Case(label: "Job completed now, 10s TTL", job: job(completed: 0, ttl: 10), timeLeft: 10),
        Case(label: "Job completed 10s ago, 15s TTL", job: job(completed: -10, ttl: 15), timeLeft: 5),
        Case(label: "Error case: Job failed now, no TTL", job: job(failed: 0, ttl: nil), error: "should not be cleaned up"),
        Case(label: "Job failed now, 0s TTL", job: job(failed: 0, ttl: 0), timeLeft: 0),
        Case(label: "Job failed now, 10s TTL", job: job(failed: 0, ttl: 10), timeLeft: 10),
        Case(label: "Job failed 10s ago, 15s TTL", job: job(failed: -10, ttl: 15), timeLeft: 5),
    ]

    @Test(arguments: cases)
    func timeLeft(_ testCase: Case) {
        do {
            let (left, expires) = try TTLAfterFinishedController.timeLeft(testCase.job, since: Self.now)
            #expect(testCase.error == nil)
            #expect(left == testCase.timeLeft)
            #expect(expires == Self.now.addingTimeInterval(testCase.timeLeft))
        } catch {
            #expect(error.description.contains(testCase.error ?? "no error expected"))
        }
    }

    @Test func expiredJobIsDeletedInTheBackgroundAfterALiveCheck() async throws {
        let job = Self.job(completed: -20, ttl: 10)
        let harness = ControllerTestHarness(objects: [job])
        harness.cache(job)
        let controller = TTLAfterFinishedController(context: harness.context, now: { Self.now })
        try await controller.reconcile("default/foobar")
        #expect(harness.client.actions.map(\.description) == ["get Job default/foobar", "delete Job default/foobar"])
        let options = try #require(harness.client.actions.last?.deleteOptions)
        #expect(options == DeleteOptions(propagationPolicy: .background, preconditionUID: "uid-foobar"))
    }

    @Test func jobNotYetDueIsLeftAlone() async throws {
        let job = Self.job(completed: -5, ttl: 10)
        let harness = ControllerTestHarness(objects: [job])
        harness.cache(job)
        let controller = TTLAfterFinishedController(context: harness.context, now: { Self.now })
        try await controller.reconcile("default/foobar")
        #expect(harness.client.actions.isEmpty)
    }

    @Test func liveJobWithALongerTTLIsNotDeleted() async throws {
        let cached = Self.job(completed: -20, ttl: 10)
        let live = Self.job(completed: -20, ttl: 3600)
        let harness = ControllerTestHarness(objects: [live])
        harness.cache(cached)
        let controller = TTLAfterFinishedController(context: harness.context, now: { Self.now })
        try await controller.reconcile("default/foobar")
        #expect(harness.client.actions.map(\.description) == ["get Job default/foobar"])
    }

    @Test func jobsBeingDeletedOrUnfinishedAreSkipped() async throws {
        var deleting = Self.job(completed: -20, ttl: 0)
        deleting.metadata.deletionTimestamp = MetaV1.Time(Self.now)
        let harness = ControllerTestHarness(objects: [deleting])
        harness.cache(deleting)
        let controller = TTLAfterFinishedController(context: harness.context, now: { Self.now })
        try await controller.reconcile("default/foobar")
        #expect(harness.client.actions.isEmpty)
    }
}
