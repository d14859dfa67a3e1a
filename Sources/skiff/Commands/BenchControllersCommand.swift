import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `skiff bench controllers`: issue #5's benchmark. A Deployment of 3,000 replicas on 1,000
/// hollow nodes from create to all available, a rolling update of it, then the controller
/// manager's CPU and RSS while idle with 30,000 pods in the cluster. `skiff server` (API only),
/// `skiff hollow-nodes`, `skiff scheduler` and `skiff controller-manager` run as child processes.
struct BenchControllersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controllers",
        abstract: "Benchmark the controller manager on hollow nodes (starts its own server, nodes, scheduler and controllers)."
    )

    @Option(help: "Hollow nodes.")
    var nodes: Int = 1000

    @Option(help: "Replicas of the Deployment.")
    var replicas: Int32 = 3000

    @Option(help: "Pods in the cluster while the idle controller manager is measured.")
    var idlePods: Int = 30_000

    @Option(help: "Seconds the idle controller manager is measured for.")
    var idleSeconds: Int = 60

    @Option(help: "Concurrent creators of the idle pods.")
    var clients: Int = 32

    @Option(help: "Directory for the server's data (default: a new temporary directory).")
    var dataDir: String?

    func run() async throws {
        try await ClusterBench.run(
            name: "controllers", dataDir: dataDir,
            banner: { "skiff bench controllers — \(nodes) hollow nodes, a Deployment of \(replicas), \(idlePods) pods idle; data in \($0.path)" }
        ) { client, dir, kubeconfig, server in
            try await measure(client: client, dir: dir, kubeconfig: kubeconfig, server: server)
        }
    }

    private func measure(client: RESTClient, dir: URL, kubeconfig: URL, server: APIServerUnderTest) async throws -> [(String, String)] {
        var rows: [(String, String)] = []
        let hollow = try ChildProcess(
            arguments: ["hollow-nodes", "--kubeconfig", kubeconfig.path, "--count", String(nodes)],
            log: dir.appendingPathComponent("hollow-nodes.log"))
        defer { hollow.stop() }
        var nodeNames: [String] = []
        while nodeNames.count < nodes {
            guard hollow.isRunning else { throw ValidationError("skiff hollow-nodes exited; see \(hollow.log.path)") }
            try await Task.sleep(for: .milliseconds(500))
            nodeNames = try await client.resource(CoreV1.Node.self).list(ListOptions(resourceVersion: "0")).items.compactMap(\.metadata.name)
        }
        let scheduler = try ChildProcess(
            arguments: ["scheduler", "--kubeconfig", kubeconfig.path, "--leader-elect", "false"],
            log: dir.appendingPathComponent("scheduler.log"))
        defer { scheduler.stop() }
        let manager = try ChildProcess(
            arguments: ["controller-manager", "--kubeconfig", kubeconfig.path, "--leader-elect", "false"],
            log: dir.appendingPathComponent("controller-manager.log"))
        defer { manager.stop() }
        _ = try await client.resource(CoreV1.Namespace.self).create(CoreV1.Namespace(metadata: MetaV1.ObjectMeta(name: "bench")))
        let load = ControllerLoad(client: client, namespace: "bench")

        BenchOutput.say("rollout: a Deployment of \(replicas) …")
        var managerCPU = manager.cpuTime()
        var schedulerCPU = scheduler.cpuTime()
        _ = try await client.resource(AppsV1.Deployment.self, namespace: "bench").create(ControllerLoad.deployment("web", replicas: replicas))
        let rollout = try await load.waitForRollout("web", replicas: replicas, timeout: .seconds(1200))
        rows.append(("create → \(replicas) available\(rollout.finished ? "" : " (NOT reached)")", StoreWorkloads.format(rollout.elapsed)))
        rows.append(("  controller manager CPU", StoreWorkloads.format(manager.cpuTime() - managerCPU)))
        rows.append(("  scheduler CPU", StoreWorkloads.format(scheduler.cpuTime() - schedulerCPU)))

        BenchOutput.say("rolling update of the Deployment …")
        managerCPU = manager.cpuTime()
        schedulerCPU = scheduler.cpuTime()
        try await load.restart("web")
        let update = try await load.waitForRollout("web", replicas: replicas, timeout: .seconds(1200))
        rows.append(("rolling update → \(replicas) updated and available\(update.finished ? "" : " (NOT reached)")",
                     StoreWorkloads.format(update.elapsed)))
        rows.append(("  fewest available seen / most pods seen", "\(update.minimumAvailable) / \(update.maximumPods)"))
        rows.append(("  controller manager CPU", StoreWorkloads.format(manager.cpuTime() - managerCPU)))
        rows.append(("  scheduler CPU", StoreWorkloads.format(scheduler.cpuTime() - schedulerCPU)))

        let extra = max(0, idlePods - Int(replicas))
        BenchOutput.say("idle: \(extra) more pods placed on the nodes, then \(idleSeconds) s of nothing …")
        try await load.createPlacedPods(extra, nodes: nodeNames, clients: clients)
        // Let the hollow nodes report the new pods Running before measuring.
        try await Task.sleep(for: .seconds(30))
        managerCPU = manager.cpuTime()
        let serverCPU = ChildProcess.cpuTime(pid: server.process.processIdentifier)
        try await Task.sleep(for: .seconds(idleSeconds))
        let window = Duration.seconds(idleSeconds)
        rows.append(("idle with \(extra + Int(replicas)) pods: controller manager CPU",
                     String(format: "%.1f %% of one core", (manager.cpuTime() - managerCPU) / window * 100)))
        rows.append(("idle: API server CPU",
                     String(format: "%.1f %% of one core",
                            (ChildProcess.cpuTime(pid: server.process.processIdentifier) - serverCPU) / window * 100)))
        rows.append(("idle: controller manager RSS", StoreWorkloads.mebibytes(manager.residentBytes())))
        return rows
    }
}
