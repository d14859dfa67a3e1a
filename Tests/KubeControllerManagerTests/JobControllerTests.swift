import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// Jobs and pods as upstream's job_controller_test.go builds them.
enum JobFixtures {
    static let referenceTime = Date(timeIntervalSince1970: 1_700_000_000)
    /// A finish time long before `referenceTime`, so no pod-creation backoff applies.
    static let longAgo = MetaV1.Time(Date(timeIntervalSince1970: 1))

    /// `completions`/`parallelism` -1 leave the field unset.
    static func job(name: String = "foobar", parallelism: Int32, completions: Int32, backoffLimit: Int32 = 6,
                    indexed: Bool = false) -> BatchV1.Job {
        var job = BatchV1.Job()
        job.metadata.name = name
        job.metadata.namespace = "default"
        job.metadata.uid = "uid-\(name)"
        job.metadata.resourceVersion = "1"
        job.spec.selector = MetaV1.LabelSelector(matchLabels: ["foo": "bar"])
        var template = CoreV1.PodTemplateSpec()
        template.metadata = MetaV1.ObjectMeta()
        template.metadata?.labels = ["foo": "bar"]
        var spec = CoreV1.PodSpec()
        var container = CoreV1.Container()
        container.name = "main"
        container.image = "foo/bar"
        spec.containers = [container]
        spec.restartPolicy = "Never"
        template.spec = spec
        job.spec.template = template
        if completions >= 0 { job.spec.completions = completions }
        if parallelism >= 0 { job.spec.parallelism = parallelism }
        job.spec.backoffLimit = backoffLimit
        job.spec.completionMode = indexed ? "Indexed" : "NonIndexed"
        return job
    }

    static func pod(_ name: String, of job: BatchV1.Job, phase: String, index: String? = nil, ready: Bool = false,
                    deleting: Bool = false, finishedAt: MetaV1.Time? = longAgo, exitCode: Int32 = 0) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = job.metadata.namespace
        pod.metadata.uid = name
        pod.metadata.resourceVersion = "1"
        pod.metadata.labels = ["foo": "bar"]
        pod.metadata.ownerReferences = [OwnerReferences.controllerReference(to: job)]
        pod.metadata.finalizers = [JobPods.trackingFinalizer]
        if let index { pod.metadata.annotations = [JobPods.completionIndexAnnotation: index] }
        if deleting { pod.metadata.deletionTimestamp = MetaV1.Time(referenceTime) }
        pod.status.phase = phase
        if phase == "Succeeded" || phase == "Failed" {
            var status = CoreV1.ContainerStatus()
            status.name = "main"
            var terminated = CoreV1.ContainerStateTerminated()
            terminated.exitCode = exitCode
            terminated.finishedAt = finishedAt
            status.state = CoreV1.ContainerState(terminated: terminated)
            pod.status.containerStatuses = [status]
        }
        if ready { pod.status.conditions = [CoreV1.PodCondition(status: "True", type: "Ready")] }
        return pod
    }

    /// A harness holding `job` and `pods` both in the client and in the informer caches.
    static func harness(_ job: BatchV1.Job, _ pods: [CoreV1.Pod]) -> ControllerTestHarness {
        let harness = ControllerTestHarness(objects: [job] + pods)
        harness.cache(job)
        for pod in pods { harness.cache(pod) }
        return harness
    }
}

@Suite struct JobControllerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var parallelism: Int32
        var completions: Int32
        var backoffLimit: Int32 = 6
        var indexed = false
        var suspend = false
        var deleting = false
        var pending = 0
        var active = 0
        var ready = 0
        var succeeded = 0
        var failed = 0
        var terminating = 0
        var indexedPods: [(String, String)] = []
        /// Positive: creations expected before the sync; negative: deletions.
        var pendingExpectations = 0

        var expectedCreations = 0
        var expectedDeletions = 0
        var expectedActive: Int32 = 0
        var expectedReady: Int32 = 0
        var expectedSucceeded: Int32 = 0
        var expectedFailed: Int32 = 0
        var expectedTerminating: Int32 = 0
        var expectedCompletedIndexes = ""
        var expectedConditions: [String] = []
        var expectedCreatedIndexes: Set<String> = []
        var testDescription: String { label }
    }

    static let backoffLimitExceeded = ["FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded"]
    static let completed = ["SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached"]

    // upstream TestControllerSyncJob, as Kubernetes 1.36 runs it (pod replacement policy,
    // managedBy and success policy on: interim conditions first, terminating pods tracked).
    static let cases: [Case] = [
        Case(label: "job start", parallelism: 2, completions: 5, expectedCreations: 2, expectedActive: 2),
        Case(label: "WQ job start", parallelism: 2, completions: -1, expectedCreations: 2, expectedActive: 2),
        Case(label: "pending pods", parallelism: 2, completions: 5, pending: 2, expectedActive: 2),
        Case(label: "correct # of pods", parallelism: 3, completions: 5, active: 3, ready: 2, expectedActive: 3, expectedReady: 2),
        Case(label: "WQ job: correct # of pods", parallelism: 2, completions: -1, active: 2, expectedActive: 2),
        Case(label: "too few active pods", parallelism: 2, completions: 5, active: 1, succeeded: 1,
             expectedCreations: 1, expectedActive: 2, expectedSucceeded: 1),
        Case(label: "too few active pods with a dynamic job", parallelism: 2, completions: -1, active: 1,
             expectedCreations: 1, expectedActive: 2),
        Case(label: "too many active pods", parallelism: 2, completions: 5, active: 3,
             expectedDeletions: 1, expectedActive: 2, expectedTerminating: 1),
        Case(label: "count ready pods when too many active pods", parallelism: 2, completions: 5, active: 3, ready: 3,
             expectedDeletions: 1, expectedActive: 2, expectedReady: 2, expectedTerminating: 1),
        Case(label: "failed + succeed pods: reset backoff delay", parallelism: 2, completions: 5, active: 1, succeeded: 1, failed: 1,
             expectedCreations: 1, expectedActive: 2, expectedSucceeded: 1, expectedFailed: 1),
        Case(label: "new failed pod", parallelism: 2, completions: 5, active: 1, failed: 1,
             expectedCreations: 1, expectedActive: 2, expectedFailed: 1),
        Case(label: "job finish", parallelism: 2, completions: 5, succeeded: 5, expectedSucceeded: 5, expectedConditions: completed),
        Case(label: "WQ job finishing", parallelism: 2, completions: -1, active: 1, succeeded: 1, expectedActive: 1, expectedSucceeded: 1),
        Case(label: "WQ job all finished", parallelism: 2, completions: -1, succeeded: 2, expectedSucceeded: 2,
             expectedConditions: completed),
        Case(label: "WQ job all finished despite one failure", parallelism: 2, completions: -1, succeeded: 1, failed: 1,
             expectedSucceeded: 1, expectedFailed: 1, expectedConditions: completed),
        Case(label: "more active pods than parallelism", parallelism: 2, completions: 5, active: 10,
             expectedDeletions: 8, expectedActive: 2, expectedTerminating: 8),
        Case(label: "more active pods than remaining completions", parallelism: 3, completions: 4, active: 3, succeeded: 2,
             expectedDeletions: 1, expectedActive: 2, expectedSucceeded: 2, expectedTerminating: 1),
        Case(label: "status change", parallelism: 2, completions: 5, active: 2, succeeded: 2, expectedActive: 2, expectedSucceeded: 2),
        Case(label: "deleting job", parallelism: 2, completions: 5, deleting: true, pending: 1, active: 1, succeeded: 1,
             expectedActive: 2, expectedSucceeded: 1),
        Case(label: "too many job failures", parallelism: 2, completions: 5, backoffLimit: 0, deleting: true, failed: 1,
             expectedFailed: 1, expectedConditions: backoffLimitExceeded),
        Case(label: "job failures, unsatisfied expectations", parallelism: 2, completions: 5, backoffLimit: 0, deleting: true,
             failed: 1, pendingExpectations: 1, expectedFailed: 1),
        Case(label: "count ready pods when job fails", parallelism: 2, completions: 3, backoffLimit: 0, active: 2, ready: 2, failed: 1,
             expectedDeletions: 2, expectedFailed: 3, expectedTerminating: 2, expectedConditions: ["FailureTarget/BackoffLimitExceeded"]),
        Case(label: "indexed job start", parallelism: 2, completions: 5, indexed: true,
             expectedCreations: 2, expectedActive: 2, expectedCreatedIndexes: ["0", "1"]),
        Case(label: "indexed job completed", parallelism: 2, completions: 3, indexed: true,
             indexedPods: [("0", "Succeeded"), ("1", "Failed"), ("1", "Succeeded"), ("2", "Succeeded")],
             expectedSucceeded: 3, expectedFailed: 1, expectedCompletedIndexes: "0-2", expectedConditions: completed),
        Case(label: "indexed job repeated completed index", parallelism: 2, completions: 3, indexed: true,
             indexedPods: [("0", "Succeeded"), ("1", "Succeeded"), ("1", "Succeeded")],
             expectedCreations: 1, expectedActive: 1, expectedSucceeded: 2, expectedCompletedIndexes: "0,1",
             expectedCreatedIndexes: ["2"]),
        Case(label: "indexed job some running and completed pods", parallelism: 8, completions: 20, indexed: true,
             indexedPods: [("0", "Running"), ("2", "Succeeded"), ("3", "Pending"), ("4", "Succeeded"), ("5", "Succeeded"),
                           ("7", "Succeeded"), ("8", "Succeeded"), ("9", "Succeeded")],
             expectedCreations: 6, expectedActive: 8, expectedSucceeded: 6, expectedCompletedIndexes: "2,4,5,7-9",
             expectedCreatedIndexes: ["1", "6", "10", "11", "12", "13"]),
        Case(label: "indexed job some failed pods", parallelism: 3, completions: 4, indexed: true,
             indexedPods: [("0", "Failed"), ("1", "Pending"), ("2", "Failed")],
             expectedCreations: 2, expectedActive: 3, expectedFailed: 2, expectedCreatedIndexes: ["0", "2"]),
        Case(label: "indexed job repeated indexes", parallelism: 5, completions: 5, indexed: true,
             indexedPods: [("invalid", "Running"), ("0", "Succeeded"), ("1", "Running"), ("2", "Running"), ("2", "Pending")],
             expectedDeletions: 2, expectedActive: 2, expectedSucceeded: 1, expectedTerminating: 2, expectedCompletedIndexes: "0"),
        Case(label: "indexed job with indexes outside of range", parallelism: 2, completions: 5, indexed: true,
             indexedPods: [("0", "Succeeded"), ("5", "Running"), ("6", "Succeeded"), ("7", "Pending"), ("8", "Failed")],
             expectedDeletions: 2, expectedSucceeded: 1, expectedTerminating: 2, expectedCompletedIndexes: "0"),
        Case(label: "suspending a job with satisfied expectations", parallelism: 2, completions: 4, suspend: true, active: 2,
             expectedDeletions: 2, expectedTerminating: 2, expectedConditions: ["Suspended/JobSuspended"]),
        Case(label: "suspending a job with unsatisfied expectations", parallelism: 2, completions: 4, suspend: true, active: 3,
             pendingExpectations: -1, expectedActive: 3),
        Case(label: "suspending a job created suspended", parallelism: 2, completions: 4, suspend: true,
             expectedConditions: ["Suspended/JobSuspended"]),
    ]

    @Test(arguments: cases)
    func syncJob(_ testCase: Case) async throws {
        var job = JobFixtures.job(parallelism: testCase.parallelism, completions: testCase.completions,
                                  backoffLimit: testCase.backoffLimit, indexed: testCase.indexed)
        job.spec.suspend = testCase.suspend
        if testCase.deleting { job.metadata.deletionTimestamp = MetaV1.Time(JobFixtures.referenceTime) }
        var pods: [CoreV1.Pod] = []
        func add(_ count: Int, _ phase: String, ready: Int = 0, deleting: Bool = false) {
            for i in 0..<count {
                pods.append(JobFixtures.pod("\(phase.lowercased())\(deleting ? "-deleting" : "")-\(i)", of: job, phase: phase,
                                            ready: i < ready, deleting: deleting))
            }
        }
        add(testCase.pending, "Pending")
        add(testCase.active, "Running", ready: testCase.ready)
        add(testCase.succeeded, "Succeeded")
        add(testCase.failed, "Failed")
        add(testCase.terminating, "Running", deleting: true)
        for (i, (index, phase)) in testCase.indexedPods.enumerated() {
            pods.append(JobFixtures.pod("indexed-\(i)", of: job, phase: phase, index: index == "invalid" ? "invalid" : index))
        }
        let harness = JobFixtures.harness(job, pods)
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        if testCase.pendingExpectations > 0 {
            controller.expectations.expect("default/foobar", adds: testCase.pendingExpectations)
        } else if testCase.pendingExpectations < 0 {
            controller.expectations.expect("default/foobar", deletes: -testCase.pendingExpectations)
        }

        try await controller.reconcile("default/foobar")

        let creates = harness.client.writes.filter { $0.verb == "create" && $0.kind == "Pod" }
        let deletes = harness.client.writes.filter { $0.verb == "delete" && $0.kind == "Pod" }
        #expect(creates.count == testCase.expectedCreations)
        #expect(deletes.count == testCase.expectedDeletions)
        if !testCase.expectedCreatedIndexes.isEmpty {
            let indexes = Set(creates.compactMap {
                $0.body?["metadata"]?["annotations"]?[JobPods.completionIndexAnnotation]?.stringValue
            })
            #expect(indexes == testCase.expectedCreatedIndexes)
        }
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")).status
        #expect(status.active ?? 0 == testCase.expectedActive)
        #expect(status.ready ?? 0 == testCase.expectedReady)
        #expect(status.succeeded ?? 0 == testCase.expectedSucceeded)
        #expect(status.failed ?? 0 == testCase.expectedFailed)
        #expect(status.terminating ?? 0 == testCase.expectedTerminating)
        #expect(status.completedIndexes ?? "" == testCase.expectedCompletedIndexes)
        #expect((status.conditions ?? []).map { "\($0.type)/\($0.reason ?? "")" } == testCase.expectedConditions)
        if testCase.expectedConditions.contains(where: { $0.hasPrefix("Complete/") }) {
            #expect(status.completionTime == MetaV1.Time(JobFixtures.referenceTime))
        }
    }

    @Test func createdPodsCarryTheTemplateOwnerAndTrackingFinalizer() async throws {
        var job = JobFixtures.job(parallelism: 1, completions: 1)
        job.spec.template.metadata?.labels = ["foo": "bar", "batch.kubernetes.io/job-name": "foobar",
                                              "batch.kubernetes.io/controller-uid": "uid-foobar",
                                              "job-name": "foobar", "controller-uid": "uid-foobar"]
        let harness = JobFixtures.harness(job, [])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        let pod = try #require(harness.client.objects(CoreV1.Pod.self).first)
        #expect(pod.metadata.generateName == "foobar-")
        #expect(pod.metadata.finalizers == [JobPods.trackingFinalizer])
        #expect(pod.metadata.labels?["batch.kubernetes.io/job-name"] == "foobar")
        #expect(pod.metadata.labels?["controller-uid"] == "uid-foobar")
        let owner = try #require(pod.metadata.ownerReferences?.first)
        #expect(owner.kind == "Job" && owner.apiVersion == "batch/v1" && owner.uid == "uid-foobar" && owner.controller == true)
        #expect(harness.events.events.map(\.reason) == ["SuccessfulCreate"])
        #expect(harness.events.events.first?.message == "Created pod: \(pod.metadata.name ?? "")")
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")).status
        #expect(status.startTime == MetaV1.Time(JobFixtures.referenceTime))
    }

    @Test func indexedPodsGetIndexAnnotationLabelHostnameAndVariable() async throws {
        let job = JobFixtures.job(parallelism: 1, completions: 3, indexed: true)
        let harness = JobFixtures.harness(job, [])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        let pod = try #require(harness.client.objects(CoreV1.Pod.self).first)
        #expect(pod.metadata.generateName == "foobar-0-")
        #expect(pod.metadata.annotations?[JobPods.completionIndexAnnotation] == "0")
        #expect(pod.metadata.labels?[JobPods.completionIndexAnnotation] == "0")
        #expect(pod.spec.hostname == "foobar-0")
        let variable = try #require(pod.spec.containers.first?.env?.first)
        #expect(variable.name == "JOB_COMPLETION_INDEX")
        #expect(variable.valueFrom?.fieldRef?.fieldPath == "metadata.labels['batch.kubernetes.io/job-completion-index']")
    }

    @Test func finishedPodsAreCountedThroughUncountedTerminatedPods() async throws {
        let job = JobFixtures.job(parallelism: 2, completions: 5)
        let pods = [JobFixtures.pod("a", of: job, phase: "Succeeded"), JobFixtures.pod("b", of: job, phase: "Running")]
        let harness = JobFixtures.harness(job, pods)
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        let statusWrites = harness.client.writes.filter { $0.kind == "Job" && $0.subresource == "status" }
        // First the UID is recorded as uncounted, then the finalizer goes, then it is counted.
        #expect(statusWrites.count == 2)
        #expect(statusWrites.first?.body?["status"]?["uncountedTerminatedPods"]?["succeeded"] == .array([.string("a")]))
        #expect(statusWrites.first?.body?["status"]?["succeeded"] == nil)
        let patch = try #require(harness.client.writes.first { $0.verb == "patch" && $0.kind == "Pod" })
        #expect(patch.name == "a")
        #expect(patch.body == .object(["metadata": .object([
            "$deleteFromPrimitiveList/finalizers": .array([.string("batch.kubernetes.io/job-tracking")]),
        ])]))
        #expect(statusWrites.last?.body?["status"]?["succeeded"] == .int(1))
        #expect(statusWrites.last?.body?["status"]?["uncountedTerminatedPods"]?["succeeded"] == .array([]))
        #expect(controller.finalizerExpectations.expectedUIDs("default/foobar") == ["a"])
    }

    @Test func completionRecordsCompletedEvent() async throws {
        let job = JobFixtures.job(parallelism: 1, completions: 1)
        let harness = JobFixtures.harness(job, [JobFixtures.pod("a", of: job, phase: "Succeeded")])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        #expect(harness.events.events.map(\.description) == ["Normal Completed Job completed"])
        let conditions = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")?.status.conditions)
        #expect(conditions.map(\.type) == ["SuccessCriteriaMet", "Complete"])
        #expect(conditions.allSatisfy { $0.message == "Reached expected number of succeeded pods" })
    }

    @Test func backoffLimitExceededFailsTheJobWithUpstreamReasonAndEvent() async throws {
        let job = JobFixtures.job(parallelism: 1, completions: 1, backoffLimit: 1)
        let pods = [JobFixtures.pod("a", of: job, phase: "Failed", exitCode: 1), JobFixtures.pod("b", of: job, phase: "Failed", exitCode: 1)]
        let harness = JobFixtures.harness(job, pods)
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")).status
        #expect(status.failed == 2)
        #expect(status.conditions?.map(\.type) == ["FailureTarget", "Failed"])
        #expect(status.conditions?.last?.message == "Job has reached the specified backoff limit")
        #expect(status.completionTime == nil)
        #expect(harness.events.events.map(\.description) == ["Warning BackoffLimitExceeded Job has reached the specified backoff limit"])
    }

    @Test func activeDeadlineExceededDeletesPodsAndWaitsForThemBeforeFailed() async throws {
        var job = JobFixtures.job(parallelism: 1, completions: 1)
        job.spec.activeDeadlineSeconds = 10
        job.status.startTime = MetaV1.Time(JobFixtures.referenceTime.addingTimeInterval(-15))
        let harness = JobFixtures.harness(job, [JobFixtures.pod("a", of: job, phase: "Running")])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")).status
        // The pod is being deleted: only the interim condition until it is gone.
        #expect(status.conditions?.map { "\($0.type)/\($0.reason ?? "")" } == ["FailureTarget/DeadlineExceeded"])
        #expect(status.conditions?.first?.message == "Job was active longer than specified deadline")
        #expect(status.terminating == 1)
        #expect(harness.client.writes.filter { $0.verb == "delete" }.map(\.name) == ["a"])
        #expect(status.failed == 1)
    }

    @Test func failureTargetTurnsIntoFailedOncePodsAreGone() async throws {
        var job = JobFixtures.job(parallelism: 1, completions: 1)
        job.status.conditions = [JobSpecs.newCondition("FailureTarget", reason: "DeadlineExceeded",
                                                       message: "Job was active longer than specified deadline",
                                                       now: JobFixtures.referenceTime)]
        job.status.failed = 1
        let harness = JobFixtures.harness(job, [])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime.addingTimeInterval(5) })
        try await controller.reconcile("default/foobar")
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")).status
        #expect(status.conditions?.map(\.type) == ["FailureTarget", "Failed"])
        #expect(status.conditions?.last?.reason == "DeadlineExceeded")
        #expect(harness.events.events.map(\.description) == ["Warning DeadlineExceeded Job was active longer than specified deadline"])
    }

    @Test func podCreationWaitsForTheFailureBackoff() async throws {
        let job = JobFixtures.job(parallelism: 1, completions: 1)
        let failed = JobFixtures.pod("a", of: job, phase: "Failed", finishedAt: MetaV1.Time(JobFixtures.referenceTime.addingTimeInterval(-3)))
        let harness = JobFixtures.harness(job, [failed])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        #expect(harness.client.writes.filter { $0.verb == "create" }.isEmpty)
        #expect(controller.backoff.record("default/foobar") ==
                JobBackoffRecord(failuresAfterLastSuccess: 1, lastFailureTime: JobFixtures.referenceTime.addingTimeInterval(-3)))
    }

    @Test func suspendedJobHasNoStartTimeAndResumingSetsIt() async throws {
        var job = JobFixtures.job(parallelism: 1, completions: 1)
        job.spec.suspend = true
        let harness = JobFixtures.harness(job, [])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        var stored = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar"))
        #expect(stored.status.startTime == nil)
        #expect(harness.events.events.map(\.description) == ["Normal Suspended Job suspended"])
        stored.spec.suspend = false
        stored.status.startTime = MetaV1.Time(JobFixtures.referenceTime.addingTimeInterval(-100))
        harness.client.seed(stored)
        harness.cache(stored)
        let later = JobController(context: harness.context, now: { JobFixtures.referenceTime.addingTimeInterval(60) })
        try await later.reconcile("default/foobar")
        stored = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar"))
        #expect(stored.status.conditions?.map { "\($0.type)/\($0.status)/\($0.reason ?? "")" } == ["Suspended/False/JobResumed"])
        #expect(stored.status.startTime == MetaV1.Time(JobFixtures.referenceTime.addingTimeInterval(60)))
        #expect(harness.events.events.last?.description == "Normal Resumed Job resumed")
    }

    @Test func podFailurePolicyFailJobRule() async throws {
        var job = JobFixtures.job(parallelism: 2, completions: 2)
        job.spec.podFailurePolicy = BatchV1.PodFailurePolicy(rules: [
            BatchV1.PodFailurePolicyRule(action: "FailJob", onExitCodes: BatchV1.PodFailurePolicyOnExitCodesRequirement(
                operator: "In", values: [5])),
        ])
        let pods = [JobFixtures.pod("a", of: job, phase: "Failed", exitCode: 5), JobFixtures.pod("b", of: job, phase: "Running")]
        let harness = JobFixtures.harness(job, pods)
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")).status
        #expect(status.conditions?.map { "\($0.type)/\($0.reason ?? "")" } == ["FailureTarget/PodFailurePolicy"])
        #expect(status.conditions?.first?.message == "Container main for pod default/a failed with exit code 5 matching FailJob rule at index 0")
        #expect(harness.client.writes.filter { $0.verb == "delete" }.map(\.name) == ["b"])
    }

    @Test func podFailurePolicyIgnoreRuleDoesNotCount() async throws {
        var job = JobFixtures.job(parallelism: 1, completions: 1, backoffLimit: 0)
        job.spec.podFailurePolicy = BatchV1.PodFailurePolicy(rules: [
            BatchV1.PodFailurePolicyRule(action: "Ignore", onPodConditions: [
                BatchV1.PodFailurePolicyOnPodConditionsPattern(status: "True", type: "DisruptionTarget"),
            ]),
        ])
        var pod = JobFixtures.pod("a", of: job, phase: "Failed", exitCode: 137)
        pod.status.conditions = [CoreV1.PodCondition(status: "True", type: "DisruptionTarget")]
        let harness = JobFixtures.harness(job, [pod])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        let status = try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")).status
        #expect(status.failed ?? 0 == 0)
        #expect(status.conditions ?? [] == [])
        #expect(harness.client.writes.filter { $0.verb == "create" }.count == 1)
    }

    @Test func unsatisfiedCreationExpectationsPreventDoubleCreation() async throws {
        let job = JobFixtures.job(parallelism: 2, completions: 2)
        let harness = JobFixtures.harness(job, [])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcile("default/foobar")
        #expect(harness.client.writes.filter { $0.verb == "create" }.count == 2)
        // The informer has not seen the new pods yet: a second sync must not create again.
        harness.cache(try #require(harness.client.object(BatchV1.Job.self, namespace: "default", name: "foobar")))
        try await controller.reconcile("default/foobar")
        #expect(harness.client.writes.filter { $0.verb == "create" }.count == 2)
        for pod in harness.client.objects(CoreV1.Pod.self) { controller.podAdded(pod) }
        #expect(controller.expectations.satisfied("default/foobar"))
    }

    @Test func orphanPodLosesItsFinalizerWhenTheJobIsFinished() async throws {
        var job = JobFixtures.job(parallelism: 1, completions: 1)
        job.status.conditions = [JobSpecs.newCondition("Complete", reason: "", message: "", now: JobFixtures.referenceTime)]
        let pod = JobFixtures.pod("a", of: job, phase: "Succeeded")
        let harness = JobFixtures.harness(job, [pod])
        let controller = JobController(context: harness.context, now: { JobFixtures.referenceTime })
        try await controller.reconcileOrphanPod("default/a")
        #expect(harness.client.writes.map(\.description) == ["patch Pod default/a"])
    }
}
