import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Workload rows from upstream's `TestPrintDeployment`, `TestPrintDaemonSet`, `TestPrintJob`,
/// `TestPrintCronJob`, `TestPrintReplicaSet`, `TestPrintStatefulSet`,
/// `TestPrintReplicationController`, `TestPrintControllerRevision`, `TestPrintPodTemplate`.
struct PrinterWorkloadTests {
    typealias F = PrinterFixture

    static let fooBar = MetaV1.LabelSelector(matchLabels: ["foo": "bar"])

    @Test func deployment() {
        let deployment = AppsV1.Deployment(
            metadata: F.meta("test1", created: F.justCreated),
            spec: AppsV1.DeploymentSpec(replicas: 5, selector: Self.fooBar, template: F.template(F.twoContainers)),
            status: AppsV1.DeploymentStatus(availableReplicas: 1, replicas: 10, unavailableReplicas: 4, updatedReplicas: 2))
        #expect(F.row(DeploymentTableConvertor(), deployment) == ["test1", "0/5", "2", "1", "0s"])
        #expect(F.row(DeploymentTableConvertor(), deployment, wide: true) == [
            "test1", "0/5", "2", "1", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar",
        ])
        #expect(F.values(DeploymentTableConvertor(), deployment)[2] == .int(2))
        #expect(DeploymentTableConvertor().columns.map(\.name)
            == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
    }

    @Test func daemonSet() {
        let daemonSet = AppsV1.DaemonSet(
            metadata: F.meta("test1", created: F.justCreated),
            spec: AppsV1.DaemonSetSpec(selector: Self.fooBar, template: F.template(F.twoContainers)),
            status: AppsV1.DaemonSetStatus(currentNumberScheduled: 2, desiredNumberScheduled: 3, numberAvailable: 0,
                                           numberReady: 1, updatedNumberScheduled: 2))
        #expect(F.row(DaemonSetTableConvertor(), daemonSet) == ["test1", "3", "2", "1", "2", "0", "<none>", "0s"])
        #expect(F.row(DaemonSetTableConvertor(), daemonSet, wide: true) == [
            "test1", "3", "2", "1", "2", "0", "<none>", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar",
        ])
        var withNodeSelector = daemonSet
        withNodeSelector.spec.template = F.template(F.twoContainers, nodeSelector: ["kubernetes.io/os": "linux"])
        #expect(F.row(DaemonSetTableConvertor(), withNodeSelector)[6] == "kubernetes.io/os=linux")
    }

    struct JobCase: Sendable, CustomTestStringConvertible {
        var job: BatchV1.Job
        var expected: [String]
        var testDescription: String { job.metadata.name ?? "" }
    }

    static func job(_ name: String, created: MetaV1.Time? = PrinterFixture.justCreated, deleted: Bool = false,
                    completions: Int32? = nil, parallelism: Int32? = nil, succeeded: Int32? = nil,
                    started: MetaV1.Time? = nil, completed: MetaV1.Time? = nil, condition: String? = nil) -> BatchV1.Job {
        BatchV1.Job(
            metadata: F.meta(name, created: created, deleted: deleted ? F.justCreated : nil),
            spec: BatchV1.JobSpec(completions: completions, parallelism: parallelism,
                                  selector: MetaV1.LabelSelector(matchLabels: ["job-label": "job-label-value"]),
                                  template: F.template([("fake-job-container1", "fake-job-image1"), ("fake-job-container2", "fake-job-image2")])),
            status: BatchV1.JobStatus(completionTime: completed,
                                      conditions: condition.map { [BatchV1.JobCondition(status: "True", type: $0)] },
                                      startTime: started, succeeded: succeeded))
    }

    static let jobs: [JobCase] = [
        JobCase(job: job("job1", completions: 2, succeeded: 1), expected: ["job1", "Running", "1/2", "", "0s"]),
        JobCase(job: job("job2", created: PrinterFixture.ago(10 * 365 * PrinterFixture.day + 3 * PrinterFixture.day)),
                expected: ["job2", "Running", "0/1", "", "10y"]),
        JobCase(job: job("job3", created: PrinterFixture.ago(10 * 365 * PrinterFixture.day),
                         started: PrinterFixture.ago(-60), completed: PrinterFixture.ago(-31 * 60)),
                expected: ["job3", "Running", "0/1", "30m", "10y"]),
        JobCase(job: job("job4", created: PrinterFixture.ago(10 * 365 * PrinterFixture.day), started: PrinterFixture.ago(20 * 60)),
                expected: ["job4", "Running", "0/1", "20m", "10y"]),
        JobCase(job: job("job5", condition: "Complete"), expected: ["job5", "Complete", "0/1", "", "0s"]),
        JobCase(job: job("job6", condition: "Failed"), expected: ["job6", "Failed", "0/1", "", "0s"]),
        JobCase(job: job("job7", condition: "Suspended"), expected: ["job7", "Suspended", "0/1", "", "0s"]),
        JobCase(job: job("job8", condition: "FailureTarget"), expected: ["job8", "FailureTarget", "0/1", "", "0s"]),
        JobCase(job: job("job9", deleted: true), expected: ["job9", "Terminating", "0/1", "", "0s"]),
        JobCase(job: job("parallel", parallelism: 3, succeeded: 1), expected: ["parallel", "Running", "1/1 of 3", "", "0s"]),
        JobCase(job: job("list-job2", completions: 2, succeeded: 2, started: PrinterFixture.ago(20 * 60)),
                expected: ["list-job2", "Running", "2/2", "20m", "0s"]),
    ]

    @Test(arguments: jobs)
    func jobRow(_ sample: JobCase) {
        #expect(F.row(JobTableConvertor(), sample.job) == sample.expected)
    }

    @Test func jobWide() {
        let job = Self.job("job1", completions: 2, succeeded: 1)
        #expect(F.row(JobTableConvertor(), job, wide: true) == [
            "job1", "Running", "1/2", "", "0s", "fake-job-container1,fake-job-container2",
            "fake-job-image1,fake-job-image2", "job-label=job-label-value",
        ])
    }

    static func cronJob(_ name: String, created: MetaV1.Time, timeZone: String? = nil, suspend: Bool? = false,
                        lastSchedule: MetaV1.Time?, template: Bool = true) -> BatchV1.CronJob {
        let jobSpec = template ? BatchV1.JobSpec(completions: 2, selector: MetaV1.LabelSelector(matchLabels: ["a": "b"]),
                                                 template: F.template([("fake-job-container1", "fake-job-image1"),
                                                                       ("fake-job-container2", "fake-job-image2")])) : nil
        return BatchV1.CronJob(
            metadata: F.meta(name, created: created),
            spec: BatchV1.CronJobSpec(jobTemplate: BatchV1.JobTemplateSpec(spec: jobSpec), schedule: "0/5 * * * ?",
                                      suspend: suspend, timeZone: timeZone),
            status: BatchV1.CronJobStatus(lastScheduleTime: lastSchedule))
    }

    @Test func cronJobRows() {
        let basic = Self.cronJob("cronjob1", created: F.justCreated, lastSchedule: F.justCreated)
        #expect(F.row(CronJobTableConvertor(), basic) == ["cronjob1", "0/5 * * * ?", "<none>", "False", "0", "0s", "0s"])
        let zoned = Self.cronJob("cronjob1", created: F.justCreated, timeZone: "LOCAL", lastSchedule: F.justCreated)
        #expect(F.row(CronJobTableConvertor(), zoned) == ["cronjob1", "0/5 * * * ?", "LOCAL", "False", "0", "0s", "0s"])
        #expect(F.row(CronJobTableConvertor(), basic, wide: true) == [
            "cronjob1", "0/5 * * * ?", "<none>", "False", "0", "0s", "0s",
            "fake-job-container1,fake-job-container2", "fake-job-image1,fake-job-image2", "a=b",
        ])
        let scheduled = Self.cronJob("cronjob2", created: F.ago(300), lastSchedule: F.ago(30), template: false)
        #expect(F.row(CronJobTableConvertor(), scheduled) == ["cronjob2", "0/5 * * * ?", "<none>", "False", "0", "30s", "5m"])
        let never = Self.cronJob("cronjob3", created: F.ago(300), lastSchedule: nil, template: false)
        #expect(F.row(CronJobTableConvertor(), never) == ["cronjob3", "0/5 * * * ?", "<none>", "False", "0", "<none>", "5m"])
        var active = Self.cronJob("busy", created: F.ago(300), suspend: nil, lastSchedule: F.ago(20 * 60), template: false)
        active.status.active = [CoreV1.ObjectReference(name: "a"), CoreV1.ObjectReference(name: "b")]
        #expect(F.row(CronJobTableConvertor(), active) == ["busy", "0/5 * * * ?", "<none>", "<unset>", "2", "20m", "5m"])
        #expect(F.row(CronJobTableConvertor(), never, wide: true).suffix(3) == ["", "", "<none>"])
    }

    @Test func replicaSet() {
        let replicaSet = AppsV1.ReplicaSet(
            metadata: F.meta("test1", created: F.justCreated),
            spec: AppsV1.ReplicaSetSpec(replicas: 5, selector: Self.fooBar, template: F.template(F.twoContainers)),
            status: AppsV1.ReplicaSetStatus(readyReplicas: 2, replicas: 5))
        #expect(F.row(ReplicaSetTableConvertor(), replicaSet) == ["test1", "5", "5", "2", "0s"])
        #expect(F.row(ReplicaSetTableConvertor(), replicaSet, wide: true) == [
            "test1", "5", "5", "2", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar",
        ])
        #expect(F.values(ReplicaSetTableConvertor(), replicaSet)[1] == .int(5))
    }

    @Test func statefulSet() {
        let statefulSet = AppsV1.StatefulSet(
            metadata: F.meta("test1", created: F.justCreated),
            spec: AppsV1.StatefulSetSpec(replicas: 5, template: F.template(F.twoContainers)),
            status: AppsV1.StatefulSetStatus(readyReplicas: 2, replicas: 5))
        #expect(F.row(StatefulSetTableConvertor(), statefulSet) == ["test1", "2/5", "0s"])
        #expect(F.row(StatefulSetTableConvertor(), statefulSet, wide: true)
            == ["test1", "2/5", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2"])
    }

    @Test func replicationController() {
        var controller = CoreV1.ReplicationController(
            metadata: MetaV1.ObjectMeta(name: "rc1", namespace: "test-namespace"),
            spec: CoreV1.ReplicationControllerSpec(replicas: 0, selector: ["a": "b"],
                                                   template: F.template([("test", "test_image")], labels: ["a": "b"])))
        #expect(F.row(ReplicationControllerTableConvertor(), controller) == ["rc1", "0", "0", "0", "<unknown>"])
        controller.spec.replicas = 5
        controller.status = CoreV1.ReplicationControllerStatus(readyReplicas: 1, replicas: 3)
        #expect(F.row(ReplicationControllerTableConvertor(), controller) == ["rc1", "5", "3", "1", "<unknown>"])
        #expect(F.row(ReplicationControllerTableConvertor(), controller, wide: true)
            == ["rc1", "5", "3", "1", "<unknown>", "test", "test_image", "a=b"])
        let bare = CoreV1.ReplicationController(spec: CoreV1.ReplicationControllerSpec(replicas: 0))
        #expect(F.row(ReplicationControllerTableConvertor(), bare, wide: true) == ["", "0", "0", "0", "<unknown>", "", "", "<none>"])
    }

    static let revisions: [([MetaV1.OwnerReference]?, String)] = [
        ([MetaV1.OwnerReference(apiVersion: "apps/v1", controller: true, kind: "DaemonSet", name: "foo")], "daemonset.apps/foo"),
        ([MetaV1.OwnerReference(controller: false, kind: "ABC", name: "foo")], "<none>"),
        ([], "<none>"),
        (nil, "<none>"),
        ([MetaV1.OwnerReference(apiVersion: "v1", controller: true, kind: "Pod", name: "p")], "pod/p"),
    ]

    @Test(arguments: revisions)
    func controllerRevision(_ sample: ([MetaV1.OwnerReference]?, String)) {
        var meta = F.meta("test1", created: F.justCreated)
        meta.ownerReferences = sample.0
        let revision = AppsV1.ControllerRevision(metadata: meta, revision: 1)
        #expect(F.row(ControllerRevisionTableConvertor(), revision) == ["test1", sample.1, "1", "0s"])
    }

    @Test func podTemplate() {
        let empty = CoreV1.PodTemplate(metadata: F.meta("pod-template-1"), template: F.template([]))
        #expect(F.row(PodTemplateTableConvertor(), empty) == ["pod-template-1", "", "", "<none>"])
        let two = CoreV1.PodTemplate(metadata: F.meta("pod-template-2"), template: F.template(F.twoContainers))
        #expect(F.row(PodTemplateTableConvertor(), two)
            == ["pod-template-2", "fake-container1,fake-container2", "fake-image1,fake-image2", "<none>"])
        let labelled = CoreV1.PodTemplate(metadata: F.meta("pod-template-3"), template: F.template([], labels: ["foo": "bar"]))
        #expect(F.row(PodTemplateTableConvertor(), labelled) == ["pod-template-3", "", "", "foo=bar"])
    }
}
