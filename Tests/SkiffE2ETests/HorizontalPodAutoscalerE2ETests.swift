import Foundation
import SkiffTestSupport
import Testing

/// The HorizontalPodAutoscaler end to end: hollow nodes report synthetic CPU usage, the metrics
/// server scrapes it, and the controller manager scales a Deployment made by `kubectl autoscale`
/// up (four times the target utilisation) and, once usage drops, back down to its minimum.
/// Short sync period, resolution and stabilisation window so the test runs in seconds.
@Suite(.serialized, .e2eSlot)
struct HorizontalPodAutoscalerE2ETests {
    static func deployment(usage: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {hollow.skiff.dev/usage: "\(usage)"}
            spec:
              containers:
              - name: app
                image: "app:1"
                resources: {requests: {cpu: 100m}}
        """
    }

    @Test(.timeLimit(.minutes(5)))
    func scalesADeploymentUpAndDown() async throws {
        let server = try SkiffServerProcess(extraArguments: [
            "--disable-agent", "--metrics-resolution", "2s",
            "--horizontal-pod-autoscaler-sync-period", "2s",
            "--horizontal-pod-autoscaler-downscale-stabilization", "4s",
        ])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2"])
        defer { fleet.kill() }
        try await poll("2 nodes", fleet: fleet) {
            try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 2
        }

        let file = server.dataDirectory.appendingPathComponent("web.yaml")
        try Self.deployment(usage: "cpu=200m").write(to: file, atomically: true, encoding: .utf8)
        let create = try server.kubectl("create", "-f", file.path)
        #expect(create.status == 0, "\(create)")
        let autoscale = try server.kubectl("autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=5")
        #expect(autoscale.status == 0, "\(autoscale)")

        // 200m used of 100m requested is 200 % against a 50 % target: scale up (at most
        // doubling per step without a behavior), until the maximum of 5.
        try await poll("the scale-up", fleet: fleet) { try Self.replicas(server) >= 4 }
        // The pods just added have no metrics until the metrics server's next scrape, and a
        // pass that finds no metrics at all reports `<unknown>` as upstream does; the next
        // passes report the utilisation again.
        var table = try server.kubectl("get", "hpa", "web")
        try await poll("200%/50% in the HPA's table", fleet: fleet) {
            table = try server.kubectl("get", "hpa", "web")
            return table.stdout.contains("200%/50%")
        }
        #expect(table.stdout.contains("200%/50%") && table.stdout.contains("Deployment/web"), "\(table)")
        let described = try server.kubectl("describe", "hpa", "web")
        #expect(described.stdout.contains("SuccessfulRescale"), "\(described)")
        #expect(described.stdout.contains("cpu resource utilization (percentage of request) above target"), "\(described)")

        // Usage drops to 10 % of the request: back to the minimum once the (short)
        // stabilisation window has passed.
        try Self.deployment(usage: "cpu=10m").write(to: file, atomically: true, encoding: .utf8)
        let apply = try server.kubectl("apply", "-f", file.path)
        #expect(apply.status == 0, "\(apply)")
        try await poll("the scale-down to 1", fleet: fleet) { try Self.replicas(server) == 1 }
        let status = try server.kubectl("get", "hpa", "web", "-o", "jsonpath={.status.desiredReplicas}")
        #expect(status.stdout == "1", "\(status)")
    }

    static func replicas(_ server: SkiffServerProcess) throws -> Int {
        Int(try server.kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").stdout) ?? -1
    }

    /// Polls `condition` every 500 ms for up to 120 s, failing early if the fleet exited.
    func poll(_ what: String, fleet: HollowNodesProcess, _ condition: () throws -> Bool) async throws {
        for _ in 0..<240 {
            guard fleet.process.isRunning else { throw E2EError("hollow-nodes exited while waiting for \(what):\n\(fleet.output)") }
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw E2EError("timed out waiting for \(what); hollow-nodes output:\n\(fleet.output)")
    }
}
