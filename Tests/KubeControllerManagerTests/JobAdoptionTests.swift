import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// How a Job claims its pods: adoption of matching orphans and release of owned pods that
/// stopped matching (upstream's job_controller_test.go TestGetPodsForJob, TestAddPodOrphan,
/// TestUpdatePodOrphanWithNewLabels, TestUpdatePodRelease).
@Suite struct JobAdoptionTests {
    static let job = JobFixtures.job(name: "test_job", parallelism: 1, completions: 1)
    static let otherJob = JobFixtures.job(name: "other_job", parallelism: 1, completions: 1)

    /// A running pod of `owner` with the Job's labels; `owned: false` leaves it an orphan.
    static func pod(_ name: String, of owner: BatchV1.Job = job, owned: Bool = true, finalizer: Bool = false,
                    labels: Bool = true) -> CoreV1.Pod {
        var pod = JobFixtures.pod(name, of: owner, phase: "Running")
        if !owned { pod.metadata.ownerReferences = nil }
        if !finalizer { pod.metadata.finalizers = nil }
        if !labels { pod.metadata.labels = nil }
        return pod
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var jobDeleting = false
        var pods: [CoreV1.Pod]
        var wantPods: [String]
        var wantPodsFinalizer: [String]
        var adopted: [String] = []
        var released: [String] = []
        var testDescription: String { label }
    }

    // upstream TestGetPodsForJob (tracking with finalizers).
    static let cases: [Case] = [
        Case(label: "only matching", pods: [pod("pod1", finalizer: true), pod("pod2", of: otherJob),
                                            pod("pod3", owned: false, labels: false), pod("pod4")],
             wantPods: ["pod1", "pod4"], wantPodsFinalizer: ["pod1"]),
        Case(label: "adopt", pods: [pod("pod1"), pod("pod2", owned: false), pod("pod3", of: otherJob)],
             wantPods: ["pod1", "pod2"], wantPodsFinalizer: ["pod2"], adopted: ["pod2"]),
        Case(label: "no adopt when deleting", jobDeleting: true, pods: [pod("pod1"), pod("pod2", owned: false)],
             wantPods: ["pod1"], wantPodsFinalizer: []),
        Case(label: "release", pods: [pod("pod1"), pod("pod2", labels: false)],
             wantPods: ["pod1"], wantPodsFinalizer: [], released: ["pod2"]),
    ]

    @Test(arguments: cases)
    func getPodsForJob(_ testCase: Case) async throws {
        var job = Self.job
        if testCase.jobDeleting { job.metadata.deletionTimestamp = MetaV1.Time(JobFixtures.referenceTime) }
        let harness = ControllerTestHarness(objects: [job, Self.otherJob] + testCase.pods)
        harness.cache(job, Self.otherJob)
        for pod in testCase.pods { harness.cache(pod) }
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })

        let pods = try await controller.podsForJob(job)

        #expect(pods.compactMap(\.metadata.name).sorted() == testCase.wantPods)
        #expect(pods.filter(JobPods.hasTrackingFinalizer).compactMap(\.metadata.name).sorted() == testCase.wantPodsFinalizer)
        let patches = harness.client.writes.filter { $0.verb == "patch" && $0.kind == "Pod" }
        #expect(patches.map(\.name).sorted() == (testCase.adopted + testCase.released).sorted())
        for name in testCase.adopted {
            let metadata = try #require(patches.first { $0.name == name }?.body?["metadata"])
            #expect(metadata["uid"] == .string(name))
            #expect(metadata["finalizers"] == .array([.string("batch.kubernetes.io/job-tracking")]))
            #expect(metadata["ownerReferences"] == .array([.object([
                "apiVersion": .string("batch/v1"), "kind": .string("Job"), "name": .string("test_job"),
                "uid": .string("uid-test_job"), "controller": .bool(true), "blockOwnerDeletion": .bool(true),
            ])]))
        }
        for name in testCase.released {
            let metadata = try #require(patches.first { $0.name == name }?.body?["metadata"])
            #expect(metadata["ownerReferences"] == .array([.object(["$patch": .string("delete"), "uid": .string("uid-test_job")])]))
            #expect(metadata["$deleteFromPrimitiveList/finalizers"] == .array([.string("batch.kubernetes.io/job-tracking")]))
        }
        // The Job is read live before adopting, and only then.
        let liveReads = harness.client.actions.filter { $0.verb == "get" && $0.kind == "Job" }
        #expect(liveReads.count == (testCase.adopted.isEmpty ? 0 : 1))
    }

    struct RecheckCase: Sendable, CustomTestStringConvertible {
        var label: String
        var live: BatchV1.Job
        var message: String
        var testDescription: String { label }
    }

    static let recheckCases: [RecheckCase] = [
        RecheckCase(label: "deleted since it was cached", live: {
            var live = job
            live.metadata.deletionTimestamp = MetaV1.Time(JobFixtures.referenceTime)
            return live
        }(), message: "has just been deleted"),
        RecheckCase(label: "replaced by another Job of the same name", live: {
            var live = job
            live.metadata.uid = "uid-new"
            return live
        }(), message: "original default/test_job is gone: got uid uid-new, wanted uid-test_job"),
    ]

    @Test(arguments: recheckCases)
    func adoptionStopsWhenTheLiveJobIsNotTheCachedOne(_ testCase: RecheckCase) async throws {
        let orphan = Self.pod("orphan", owned: false)
        let harness = ControllerTestHarness(objects: [testCase.live, orphan])
        harness.cache(Self.job)
        harness.cache(orphan)
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        do {
            _ = try await controller.podsForJob(Self.job)
            Issue.record("expected the adoption to fail")
        } catch {
            #expect("\(error)".contains("can't adopt Pod default/orphan (orphan)"))
            #expect("\(error)".contains(testCase.message))
        }
        #expect(harness.client.writes.isEmpty)
        // A sync fails the same way (and is retried) without creating a pod.
        await #expect(throws: (any Error).self) { try await controller.reconcile("default/test_job") }
        #expect(harness.client.writes.filter { $0.verb == "create" }.isEmpty)
    }

    @Test func aRecreatedJobAdoptsTheOrphanedPodsInsteadOfCreatingNewOnes() async throws {
        // `kubectl delete job --cascade=orphan`, then the same Job (manualSelector) again.
        let orphans = [Self.pod("kept-0", owned: false), Self.pod("kept-1", owned: false)]
        var job = JobFixtures.job(name: "test_job", parallelism: 2, completions: 4)
        job.spec.manualSelector = true
        let harness = JobFixtures.harness(job, orphans)
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/test_job")
        let patches = harness.client.writes.filter { $0.verb == "patch" && $0.kind == "Pod" }
        #expect(patches.map(\.name).sorted() == ["kept-0", "kept-1"])
        #expect(harness.client.writes.filter { $0.verb == "create" }.isEmpty)
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "test_job")).status
        #expect(status.active == 2)
    }

    @Test func orphanPodsQueueEveryJobSelectingThem() {
        var unrelated = JobFixtures.job(name: "job3", parallelism: 1, completions: 1)
        unrelated.spec.selector = MetaV1.LabelSelector(matchLabels: ["other": "labels"])
        let jobs = [JobFixtures.job(name: "job1", parallelism: 1, completions: 1),
                    JobFixtures.job(name: "job2", parallelism: 1, completions: 1), unrelated]
        let harness = ControllerTestHarness(objects: jobs)
        for job in jobs { harness.cache(job) }
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        let orphan = Self.pod("pod1", of: jobs[0], owned: false)
        #expect(controller.jobsSelecting(orphan).compactMap(\.metadata.name).sorted() == ["job1", "job2"])
        #expect(controller.jobsSelecting(Self.pod("bare", owned: false, labels: false)).isEmpty)
        var elsewhere = orphan
        elsewhere.metadata.namespace = "other"
        #expect(controller.jobsSelecting(elsewhere).isEmpty)
    }
}
