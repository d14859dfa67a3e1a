import Foundation
import SkiffTestSupport
import Testing

/// The job, cronjob and ttl-after-finished controllers in `skiff server`, with pods on hollow
/// nodes. Hollow nodes run pods forever, so the test plays kubelet: it ends a pod by patching
/// its status to Succeeded or Failed with a terminated container.
@Suite(.serialized, .e2eSlot)
struct JobE2ETests {
    static let jobs = """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: work}
        spec:
          completions: 3
          parallelism: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: app, image: "app:1"}]

        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: doomed}
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              containers: [{name: app, image: "app:1"}]

        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: brief}
        spec:
          ttlSecondsAfterFinished: 0
          template:
            spec:
              restartPolicy: Never
              containers: [{name: app, image: "app:1"}]
        """

    static let cronJob = """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: tick}
        spec:
          schedule: "* * * * *"
          successfulJobsHistoryLimit: 0
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: app, image: "app:1"}]
        """

    @Test(.timeLimit(.minutes(5)))
    func jobsRetryFailAndAreCleanedUp() async throws {
        let (server, fleet) = try await Self.start()
        defer { server.kill(); fleet.kill() }
        let manifest = server.dataDirectory.appendingPathComponent("jobs.yaml")
        try Self.jobs.write(to: manifest, atomically: true, encoding: .utf8)
        let apply = try server.kubectl("apply", "-f", manifest.path)
        #expect(apply.status == 0, "\(apply)")

        // Kubelet's part: work's first pod fails, the rest succeed; doomed's pods all fail.
        var finished: Set<String> = []
        var workFailed = false
        try await Self.poll("work Complete, doomed Failed, brief deleted", seconds: 150) {
            for pod in try Self.runningJobPods(server) where !finished.contains(pod.name) {
                let succeed: Bool
                switch pod.job {
                case "work":
                    succeed = workFailed
                    workFailed = true
                case "doomed": succeed = false
                default: succeed = true
                }
                try Self.finish(server, pod.name, succeeded: succeed)
                finished.insert(pod.name)
            }
            let conditions = try server.kubectl("get", "jobs", "-o",
                #"jsonpath={range .items[*]}{.metadata.name}={.status.conditions[*].type} {end}"#).stdout
            return conditions.contains("work=SuccessCriteriaMet Complete") && conditions.contains("doomed=FailureTarget Failed")
                && !conditions.contains("brief=")
        }

        let wait = try server.kubectl("wait", "--for=condition=complete", "job/work", "--timeout=30s")
        #expect(wait.status == 0 && wait.stdout.contains("job.batch/work condition met"), "\(wait)")
        let work = try server.kubectl("get", "job", "work", "-o",
            "jsonpath={.status.succeeded} {.status.failed} {.status.active} {.status.completionTime}")
        let counts = work.stdout.split(separator: " ").map(String.init)
        #expect(counts.count == 4 && counts[0] == "3" && counts[1] == "1" && counts[2] == "0", "\(work)")
        let doomed = try server.kubectl("get", "job", "doomed", "-o",
            #"jsonpath={.status.failed} {.status.conditions[?(@.type=="Failed")].reason}: {.status.conditions[?(@.type=="Failed")].message}"#)
        #expect(doomed.stdout == "2 BackoffLimitExceeded: Job has reached the specified backoff limit", "\(doomed)")
        let failedWait = try server.kubectl("wait", "--for=condition=failed", "job/doomed", "--timeout=30s")
        #expect(failedWait.status == 0, "\(failedWait)")

        let table = try server.kubectl("get", "jobs")
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], "\(table)")
        #expect(rows.contains { $0.count == 5 && $0[0] == "work" && $0[1] == "Complete" && $0[2] == "3/3" && $0[3].hasSuffix("s") },
                "\(table)")
        #expect(rows.contains { $0.count == 5 && $0[0] == "doomed" && $0[1] == "Failed" && $0[2] == "0/1" }, "\(table)")

        let events = try server.kubectl("get", "events", "--field-selector", "involvedObject.kind=Job", "-o",
            #"jsonpath={range .items[*]}{.involvedObject.name} {.reason} {.source.component}{"\n"}{end}"#).stdout
        #expect(events.contains("work SuccessfulCreate job-controller"), "\(events)")
        #expect(events.contains("work Completed job-controller"), "\(events)")
        #expect(events.contains("doomed BackoffLimitExceeded job-controller"), "\(events)")

        // Pods carry the tracking finalizer only until they are counted.
        let finalizers = try server.kubectl("get", "pods", "-l", "batch.kubernetes.io/job-name=work", "-o",
            #"jsonpath={range .items[*]}{.metadata.name}:{.metadata.finalizers}{"\n"}{end}"#).stdout
        #expect(!finalizers.contains("job-tracking") && finalizers.contains("work-"), "\(finalizers)")
    }

    @Test(.timeLimit(.minutes(5)))
    func cronJobCreatesAJobEachMinuteAndKeepsItsHistoryLimit() async throws {
        let (server, fleet) = try await Self.start()
        defer { server.kill(); fleet.kill() }
        let manifest = server.dataDirectory.appendingPathComponent("cronjob.yaml")
        try Self.cronJob.write(to: manifest, atomically: true, encoding: .utf8)
        let apply = try server.kubectl("apply", "-f", manifest.path)
        #expect(apply.status == 0, "\(apply)")

        var jobName = ""
        try await Self.poll("the CronJob's first Job", seconds: 90) {
            jobName = try server.kubectl("get", "jobs", "-o", "jsonpath={.items[0].metadata.name}").stdout
            return !jobName.isEmpty
        }
        let minutes = try #require(Int(jobName.dropFirst("tick-".count)), "\(jobName)")
        let job = try server.kubectl("get", "job", jobName, "-o",
            #"jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.annotations.batch\.kubernetes\.io/cronjob-scheduled-timestamp}"#)
        let scheduled = Date(timeIntervalSince1970: TimeInterval(minutes * 60))
        let formatter = ISO8601DateFormatter()
        #expect(job.stdout == "CronJob/tick \(formatter.string(from: scheduled))", "\(job)")
        let status = try server.kubectl("get", "cronjob", "tick", "-o", "jsonpath={.status.active[0].name} {.status.lastScheduleTime}")
        #expect(status.stdout == "\(jobName) \(formatter.string(from: scheduled))", "\(status)")

        // Its pod succeeds; with successfulJobsHistoryLimit 0 the finished Job is deleted.
        var finished: Set<String> = []
        try await Self.poll("the finished Job deleted", seconds: 60) {
            for pod in try Self.runningJobPods(server) where pod.job == jobName && !finished.contains(pod.name) {
                try Self.finish(server, pod.name, succeeded: true)
                finished.insert(pod.name)
            }
            let get = try server.kubectl("get", "job", jobName)
            return get.status != 0 && get.stderr.contains("NotFound")
        }
        let events = try server.kubectl("get", "events", "--field-selector", "involvedObject.kind=CronJob", "-o",
            #"jsonpath={range .items[*]}{.reason}: {.message}{"\n"}{end}"#).stdout
        #expect(events.contains("SuccessfulCreate: Created job \(jobName)"), "\(events)")
        #expect(events.contains("SuccessfulDelete: Deleted job \(jobName)"), "\(events)")
        try await Self.poll("lastSuccessfulTime", seconds: 30) {
            !(try server.kubectl("get", "cronjob", "tick", "-o", "jsonpath={.status.lastSuccessfulTime}").stdout.isEmpty)
        }
    }

    static let keptJob = """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: keep}
        spec:
          manualSelector: true
          selector:
            matchLabels: {app: keep}
          completions: 2
          parallelism: 2
          template:
            metadata:
              labels: {app: keep}
            spec:
              restartPolicy: Never
              containers: [{name: app, image: "app:1"}]
        """

    /// `kubectl delete job --cascade=orphan` leaves the pods running without an owner; the Job
    /// created again (its `manualSelector` matches them) adopts them instead of making new ones.
    @Test(.timeLimit(.minutes(5)))
    func aRecreatedJobAdoptsThePodsItsPredecessorOrphaned() async throws {
        let (server, fleet) = try await Self.start()
        defer { server.kill(); fleet.kill() }
        let manifest = server.dataDirectory.appendingPathComponent("keep.yaml")
        try Self.keptJob.write(to: manifest, atomically: true, encoding: .utf8)
        let apply = try server.kubectl("apply", "-f", manifest.path)
        #expect(apply.status == 0, "\(apply)")
        let pods = #"jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.metadata.ownerReferences[0].uid} {.metadata.finalizers}{"\n"}{end}"#
        func keptPods() throws -> [[String]] {
            try server.kubectl("get", "pods", "-l", "app=keep", "-o", pods).stdout.split(separator: "\n")
                .map { $0.split(separator: " ").map(String.init) }.sorted { $0[0] < $1[0] }
        }
        func jobUID() throws -> String { try server.kubectl("get", "job", "keep", "-o", "jsonpath={.metadata.uid}").stdout }
        let first = try jobUID()
        var names: [String] = []
        try await Self.poll("2 running pods of keep", seconds: 60) {
            let current = try keptPods()
            names = current.map { $0[0] }
            return current.count == 2 && current.allSatisfy { $0.count == 4 && $0[1] == "Running" && $0[2] == first }
        }

        let delete = try server.kubectl("delete", "job", "keep", "--cascade=orphan")
        #expect(delete.status == 0, "\(delete)")
        try await Self.poll("orphaned pods without the tracking finalizer", seconds: 60) {
            let current = try keptPods()
            return current.map { $0[0] } == names && current.allSatisfy { $0.count == 2 && $0[1] == "Running" }
        }

        let again = try server.kubectl("apply", "-f", manifest.path)
        #expect(again.status == 0, "\(again)")
        let second = try jobUID()
        #expect(!second.isEmpty && second != first)
        try await Self.poll("the pods adopted by the new Job", seconds: 60) {
            let current = try keptPods()
            return current.map { $0[0] } == names
                && current.allSatisfy { $0.count == 4 && $0[2] == second && $0[3].contains("batch.kubernetes.io/job-tracking") }
        }
        try await Self.poll("the new Job counting them active", seconds: 30) {
            try server.kubectl("get", "job", "keep", "-o", "jsonpath={.status.active}").stdout == "2"
        }
        #expect(try keptPods().map { $0[0] } == names, "no new pod was created")
    }

    // MARK: Helpers

    static func start() async throws -> (SkiffServerProcess, HollowNodesProcess) {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2"], logName: "fleet.log")
        try await poll("2 nodes", seconds: 60) {
            try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 2
        }
        return (server, fleet)
    }

    /// Pods of Jobs that run (and are not being deleted), with their Job's name.
    static func runningJobPods(_ server: SkiffServerProcess) throws -> [(name: String, job: String)] {
        let output = try server.kubectl("get", "pods", "-l", "batch.kubernetes.io/job-name", "-o",
            #"jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.batch\.kubernetes\.io/job-name} {.status.phase} {.metadata.deletionTimestamp}{"\n"}{end}"#).stdout
        return output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3, fields[2] == "Running" else { return nil }
            return (fields[0], fields[1])
        }
    }

    /// Kubelet's report of the pod's end: its phase and a terminated container.
    static func finish(_ server: SkiffServerProcess, _ pod: String, succeeded: Bool) throws {
        let now = ISO8601DateFormatter().string(from: Date())
        let (phase, code, reason) = succeeded ? ("Succeeded", 0, "Completed") : ("Failed", 1, "Error")
        let patch = #"{"status":{"phase":"\#(phase)","containerStatuses":[{"name":"app","image":"app:1","imageID":"","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":\#(code),"reason":"\#(reason)","startedAt":"\#(now)","finishedAt":"\#(now)"}}}]}}"#
        let result = try server.kubectl("patch", "pod", pod, "--subresource=status", "--type=merge", "-p", patch)
        if result.status != 0 { throw E2EError("patching \(pod): \(result)") }
    }

    static func poll(_ what: String, seconds: Int, _ condition: () throws -> Bool) async throws {
        for _ in 0..<(seconds * 2) {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw E2EError("timed out waiting for \(what)")
    }
}
