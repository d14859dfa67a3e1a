import Foundation
import SkiffTestSupport
import Testing

/// The resource metrics pipeline end to end: a hollow node serves synthetic `/metrics/resource`,
/// `skiff server`'s metrics server scrapes it every 2 s, and `kubectl top` shows the configured
/// usage (per pod, per container, per node with its share of allocatable).
@Suite(.serialized, .e2eSlot)
struct MetricsE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func kubectlTopShowsHollowUsage() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent", "--metrics-resolution", "2s"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: [
            "--count", "1", "--pod-cpu-usage", "10m", "--pod-memory-usage", "16Mi",
            "--node-base-cpu-usage", "50m", "--node-base-memory-usage", "256Mi",
        ])
        defer { fleet.kill() }

        let manifest = server.dataDirectory.appendingPathComponent("pods.yaml")
        try """
            apiVersion: v1
            kind: Pod
            metadata:
              name: idle
              labels:
                app: idle
            spec:
              nodeName: hollow-node-0
              containers:
              - name: app
                image: "app:1"

            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: busy
              labels:
                app: busy
              annotations:
                hollow.skiff.dev/usage: "cpu=250m,memory=64Mi,sidecar:cpu=5m,sidecar:memory=8Mi"
            spec:
              nodeName: hollow-node-0
              containers:
              - name: app
                image: "app:1"
              - name: sidecar
                image: "app:1"
            """.write(to: manifest, atomically: true, encoding: .utf8)
        try await poll("the node registered", fleet: fleet) {
            try server.kubectl("get", "node", "hollow-node-0").status == 0
        }
        let create = try server.kubectl("create", "-f", manifest.path)
        #expect(create.status == 0, "\(create)")

        // Pods: the sum of their containers; -A adds the namespace column.
        var pods: [[String]] = []
        try await poll("kubectl top pods -A", fleet: fleet) {
            pods = Self.rows(try server.kubectl("top", "pods", "-A").stdout)
            return pods.count == 3
        }
        #expect(pods == [
            ["NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"],
            ["default", "busy", "255m", "72Mi"],
            ["default", "idle", "10m", "16Mi"],
        ], "\(pods)")

        let containers = try server.kubectl("top", "pod", "busy", "--containers")
        #expect(Self.rows(containers.stdout) == [
            ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"],
            ["busy", "app", "250m", "64Mi"],
            ["busy", "sidecar", "5m", "8Mi"],
        ], "\(containers)")

        // The node: its own 50m and 256Mi plus its pods', against 8 CPUs and 32Gi allocatable.
        var nodes: [[String]] = []
        try await poll("kubectl top nodes with the pods' usage", fleet: fleet) {
            nodes = Self.rows(try server.kubectl("top", "nodes").stdout)
            return nodes.count == 2 && nodes[1].count == 5 && nodes[1][1] == "315m"
        }
        #expect(nodes == [
            ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"],
            ["hollow-node-0", "315m", "3%", "344Mi", "1%"],
        ], "\(nodes)")

        // What the HorizontalPodAutoscaler asks: pods by label selector.
        let selected = try server.kubectl(
            "get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dbusy")
        #expect(selected.stdout.contains(#""kind":"PodMetricsList""#) && selected.stdout.contains(#""name":"busy""#)
                && !selected.stdout.contains(#""name":"idle""#), "\(selected)")

        let missing = try server.kubectl("top", "pod", "nosuch")
        #expect(missing.status != 0 && missing.stderr.contains(#"pods "nosuch" not found"#), "\(missing)")
    }

    /// Whitespace-separated cells of each output line.
    static func rows(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    /// Polls `condition` every 250 ms for up to 60 s, failing early if the fleet exited.
    func poll(_ what: String, fleet: HollowNodesProcess, _ condition: () throws -> Bool) async throws {
        for _ in 0..<240 {
            guard fleet.process.isRunning else { throw E2EError("hollow-nodes exited while waiting for \(what):\n\(fleet.output)") }
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw E2EError("timed out waiting for \(what); hollow-nodes output:\n\(fleet.output)")
    }
}
