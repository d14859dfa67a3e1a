import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import KubeScheduler
import Kubemark

/// `skiff bench scheduler`: scheduler_perf's SchedulingBasic and SchedulingPodAntiAffinity on
/// hollow nodes. A `skiff server` (no in-process scheduler), `skiff hollow-nodes` and
/// `skiff scheduler` run as child processes; this process creates pods and watches bindings.
/// With `--in-process`, only the scheduling cycles run, in this process, on a scheduler cache of
/// the same nodes (no server, no informers, no bindings): the cycle's CPU alone.
struct BenchSchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Benchmark the scheduler on hollow nodes (starts its own server, nodes and scheduler)."
    )

    @Option(help: "Hollow nodes.")
    var nodes: Int = 5000

    @Option(help: "Pods per phase.")
    var pods: Int = 10_000

    @Option(help: "Pods in the anti-affinity phase (default: --pods).")
    var antiAffinityPods: Int?

    @Option(help: "Concurrent pod creators.")
    var clients: Int = 32

    @Option(help: "Label groups for the anti-affinity phase (pods repel others of their group per node).")
    var antiAffinityGroups: Int = 4

    @Option(help: "Directory for the server's data (default: a new temporary directory).")
    var dataDir: String?

    @Flag(help: "Run only the scheduling cycles in this process (no server, nodes or bindings).")
    var inProcess = false

    func run() async throws {
        if inProcess {
            runInProcess()
            return
        }
        try await ClusterBench.run(
            name: "scheduler", dataDir: dataDir,
            banner: { "skiff bench scheduler — \(nodes) hollow nodes, \(pods) pods per phase; data in \($0.path)" }
        ) { client, dir, kubeconfig, server in
            try await measure(client: client, dir: dir, kubeconfig: kubeconfig, server: server)
        }
    }

    private func measure(client: RESTClient, dir: URL, kubeconfig: URL, server: APIServerUnderTest) async throws -> [(String, String)] {
        var rows: [(String, String)] = []
        let clock = ContinuousClock()
        let hollow = try ChildProcess(
            arguments: ["hollow-nodes", "--kubeconfig", kubeconfig.path, "--count", String(nodes)],
            log: dir.appendingPathComponent("hollow-nodes.log"))
        defer { hollow.stop() }
        let registering = clock.now
        while try await client.resource(CoreV1.Node.self).list(ListOptions(resourceVersion: "0")).items.count < nodes {
            guard hollow.isRunning else { throw ValidationError("skiff hollow-nodes exited; see \(hollow.log.path)") }
            try await Task.sleep(for: .milliseconds(500))
        }
        rows.append(("register \(nodes) hollow nodes", StoreWorkloads.format(clock.now - registering)))
        Self.say(rows[...])
        _ = try await client.resource(CoreV1.Namespace.self).create(CoreV1.Namespace(metadata: MetaV1.ObjectMeta(name: "bench")))
        let load = SchedulerLoad(client: client, namespace: "bench")

        // Backlog: pods wait while no scheduler runs; then the scheduler starts and drains them.
        BenchOutput.say("backlog: creating \(pods) pods with no scheduler running …")
        _ = try await load.createPods(pods, prefix: "backlog", clients: clients, groups: 1, antiAffinity: false)
        let from = try await load.currentResourceVersion()
        let schedulerStart = clock.now
        let scheduler = try ChildProcess(
            arguments: ["scheduler", "--kubeconfig", kubeconfig.path],
            log: dir.appendingPathComponent("scheduler.log"))
        defer { scheduler.stop() }
        let backlog = try await load.waitForBindings(prefix: "backlog", expected: pods, from: from, timeout: .seconds(600))
        let times = backlog.values.sorted()
        if let first = times.first, let last = times.last, times.count > 1 {
            rows.append(("backlog of \(pods): bound", "\(times.count)"))
            rows.append(("backlog: scheduler start → all bound", StoreWorkloads.format(last - schedulerStart)))
            rows.append(("backlog: pods/s, first → last binding", StoreWorkloads.format(Double(times.count - 1) / (last - first).seconds)))
        }
        rows.append(("scheduler RSS after backlog", StoreWorkloads.mebibytes(scheduler.residentBytes())))
        Self.say(rows[1...])

        for (phase, antiAffinity) in [("basic", false), ("anti", true)] {
            let pods = antiAffinity ? (antiAffinityPods ?? self.pods) : self.pods
            let firstRow = rows.count
            let settling = clock.now
            try await load.waitUntilBoundPodsRun(timeout: .seconds(600))
            rows.append(("before \(phase): wait for the bound pods to run", StoreWorkloads.format(clock.now - settling)))
            BenchOutput.say("\(phase): creating \(pods) pods with the scheduler running …")
            let start = try await load.currentResourceVersion()
            // Every process's CPU, this one's included: the phase's work per pod whatever the
            // order it gets done in (the hollow nodes' status writes may trail the bindings).
            func allCPU() -> Duration {
                server.cpuTime() + hollow.cpuTime() + scheduler.cpuTime() + ChildProcess.cpuTime(pid: ProcessInfo.processInfo.processIdentifier)
            }
            let allBefore = allCPU()
            let (serverBefore, hollowBefore) = (server.cpuTime(), hollow.cpuTime())
            let cpuBefore = scheduler.cpuTime()
            let began = clock.now
            async let watched = load.waitForBindings(prefix: phase, expected: pods, from: start, timeout: .seconds(600))
            let created = try await load.createPods(
                pods, prefix: phase, clients: clients, groups: antiAffinity ? antiAffinityGroups : 1, antiAffinity: antiAffinity)
            let bound = try await watched
            let elapsed = (bound.values.max() ?? began) - began as Duration
            let latencies = bound.compactMap { name, at in created[name].map { at - $0 } }
            let label = antiAffinity ? "required anti-affinity (\(antiAffinityGroups) groups)" : "default plugins"
            rows.append(("\(label): bound / created", "\(bound.count) / \(created.count)"))
            rows.append(("\(label): pods/s, first create → last bound", StoreWorkloads.format(Double(bound.count) / elapsed.seconds)))
            rows.append(("\(label): create → bound p50 / p99", StoreWorkloads.percentiles(latencies)))
            rows.append(("\(label): scheduler CPU per pod", StoreWorkloads.format((scheduler.cpuTime() - cpuBefore) / max(bound.count, 1))))
            // The phase's work is done when the hollow nodes have reported every bound pod
            // Running too (polled every 200 ms).
            try await load.waitUntilBoundPodsRun(timeout: .seconds(600))
            let running = clock.now - began
            rows.append(("\(label): pods/s, first create → all Running", StoreWorkloads.format(Double(bound.count) / running.seconds)))
            rows.append(("\(label): CPU of all processes per pod, first create → all Running",
                         StoreWorkloads.format((allCPU() - allBefore) / max(bound.count, 1))))
            rows.append(("\(label): server / hollow-nodes CPU per pod, first create → all Running",
                         StoreWorkloads.format((server.cpuTime() - serverBefore) / max(bound.count, 1)) + " / "
                            + StoreWorkloads.format((hollow.cpuTime() - hollowBefore) / max(bound.count, 1))))
            rows.append(("scheduler RSS after \(phase)", StoreWorkloads.mebibytes(scheduler.residentBytes())))
            Self.say(rows[firstRow...])
        }
        // kube-scheduler records a `Scheduled` event for every pod it binds; the count shows
        // the figures above carry that traffic (read at the end, when the writes have landed).
        var stored: [String] = []
        for phase in ["backlog", "basic", "anti"] { stored.append(String(try await load.scheduledEvents(prefix: phase))) }
        rows.append(("Scheduled events stored: backlog / default / anti-affinity", stored.joined(separator: " / ")))
        Self.say(rows[(rows.count - 1)...])
        return rows
    }

    /// Prints a phase's rows as soon as it ends (the whole table follows at the end).
    private static func say(_ rows: ArraySlice<(String, String)>) {
        for (label, value) in rows { BenchOutput.say("  \(label): \(value)") }
    }

    /// The cycles alone: `--pods` plain pods, then the anti-affinity pods on the same nodes,
    /// each phase's rows printed when it ends.
    private func runInProcess() {
        BenchOutput.say("skiff bench scheduler --in-process — \(nodes) nodes, \(pods) pods per phase")
        let template = HollowNodeTemplate(
            configuration: HollowNodeConfiguration(count: nodes), kubeletVersion: HollowNodeConfiguration.defaultKubeletVersion)
        let nodeObjects = (0..<nodes).map { index in
            var node = template.node(for: HollowNodeIdentity(index: index, name: "hollow-node-\(index)"))
            node.metadata.labels?["topology.kubernetes.io/zone"] = "zone-\(index % 3)"
            return node
        }
        var bench = SchedulingCycleBench(nodes: nodeObjects)
        for (phase, antiAffinity) in [("basic", false), ("anti", true)] {
            let count = antiAffinity ? (antiAffinityPods ?? pods) : pods
            let podInfos = (0..<count).map { index in
                var pod = SchedulerLoad.pod(
                    "\(phase)-\(index)", group: "\(phase)-g\(index % max(antiAffinity ? antiAffinityGroups : 1, 1))",
                    antiAffinity: antiAffinity)
                pod.metadata.namespace = "bench"
                pod.metadata.uid = "uid-\(phase)-\(index)"
                return PodInfo(pod)
            }
            let cpuBefore = ChildProcess.cpuTime(pid: ProcessInfo.processInfo.processIdentifier)
            let began = ContinuousClock.now
            let (scheduled, unschedulable) = bench.schedule(podInfos)
            let elapsed = ContinuousClock.now - began
            let cpu = ChildProcess.cpuTime(pid: ProcessInfo.processInfo.processIdentifier) - cpuBefore
            let label = antiAffinity ? "required anti-affinity (\(antiAffinityGroups) groups)" : "default plugins"
            Self.say([
                ("\(label): scheduled / unschedulable", "\(scheduled) / \(unschedulable)"),
                ("\(label): pods/s", StoreWorkloads.format(Double(count) / max(elapsed.seconds, 1e-9))),
                ("\(label): CPU per pod", StoreWorkloads.format(cpu / max(count, 1))),
            ])
        }
    }
}
