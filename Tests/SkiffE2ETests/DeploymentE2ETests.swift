import Foundation
import SkiffTestSupport
import Testing

/// Deployments on hollow nodes, driven by the stock kubectl: a rollout that `kubectl rollout
/// status` sees finish, a deleted pod replaced, an image update that keeps within maxSurge and
/// maxUnavailable at every sampled step, `rollout history`, `rollout undo`, `scale`, and
/// `rollout pause`/`resume`.
@Suite(.serialized, .e2eSlot)
struct DeploymentE2ETests {
    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations: {kubernetes.io/change-cause: "create app:1"}
        spec:
          replicas: 6
          minReadySeconds: 1
          selector: {matchLabels: {app: web}}
          strategy:
            type: RollingUpdate
            rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "app:1"}]
        """

    @Test(.timeLimit(.minutes(5)))
    func rollsOutScalesAndRollsBack() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "3"])
        defer { fleet.kill() }
        try await Self.poll("3 nodes", server) {
            try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 3
        }

        let file = server.dataDirectory.appendingPathComponent("web.yaml")
        try Self.manifest.write(to: file, atomically: true, encoding: .utf8)
        let create = try server.kubectl("create", "-f", file.path)
        #expect(create.status == 0, "\(create)")
        try Self.rolloutStatus(server)
        #expect(try Self.readyPods(server).count == 6)
        let table = try server.kubectl("get", "deployment", "web")
        #expect(table.stdout.contains("6/6"), "\(table)")

        // A deleted pod is replaced.
        let victim = try #require(try Self.readyPods(server).first)
        let delete = try server.kubectl("delete", "pod", victim, "--wait=false")
        #expect(delete.status == 0, "\(delete)")
        try await Self.poll("a replacement pod", server) {
            let pods = try Self.readyPods(server)
            return pods.count == 6 && !pods.contains(victim)
        }

        // An image update rolls within the bounds: sum of ReplicaSet sizes <= 6 + 1, ready
        // pods (not terminating) >= 6 - 1 at every sample.
        let update = try server.kubectl("set", "image", "deployment/web", "app=app:2")
        #expect(update.status == 0, "\(update)")
        _ = try server.kubectl("annotate", "deployment/web", "kubernetes.io/change-cause=update app:2", "--overwrite")
        var samples = 0
        try await Self.poll("the rollout to app:2", server) {
            let sizes = try server.kubectl("get", "rs", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.replicas} {end}")
            let total = sizes.stdout.split(separator: " ").compactMap { Int($0) }.reduce(0, +)
            let ready = try Self.readyPods(server).count
            samples += 1
            #expect(total <= 7, "ReplicaSets sized \(sizes.stdout)")
            #expect(ready >= 5, "only \(ready) ready pods")
            return try Self.deploymentComplete(server)
        }
        #expect(samples > 1)
        try Self.rolloutStatus(server)
        #expect(try Self.images(server) == Array(repeating: "app:2", count: 6))

        let history = try server.kubectl("rollout", "history", "deployment/web")
        #expect(history.status == 0, "\(history)")
        #expect(Self.changeCauses(history.stdout) == ["1": "create app:1", "2": "update app:2"], "\(history)")

        // Undo: back to revision 1's template, which becomes revision 3.
        let undo = try server.kubectl("rollout", "undo", "deployment/web")
        #expect(undo.status == 0 && undo.stdout.contains("rolled back"), "\(undo)")
        try Self.rolloutStatus(server)
        let image = try server.kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}")
        #expect(image.stdout == "app:1 3", "\(image)")
        try await Self.poll("only app:1 pods", server) { try Self.images(server) == Array(repeating: "app:1", count: 6) }
        let rsCount = try server.kubectl("get", "rs", "-l", "app=web", "-o", "name")
        #expect(rsCount.stdout.split(separator: "\n").count == 2, "\(rsCount)")

        // Scale.
        let scale = try server.kubectl("scale", "deployment/web", "--replicas=3")
        #expect(scale.status == 0, "\(scale)")
        try await Self.poll("3 pods", server) { try Self.readyPods(server).count == 3 && Self.deploymentComplete(server) }

        // Paused: a template change makes no ReplicaSet until resumed.
        #expect(try server.kubectl("rollout", "pause", "deployment/web").status == 0)
        #expect(try server.kubectl("set", "image", "deployment/web", "app=app:3").status == 0)
        try await Self.poll("the paused condition", server) {
            let state = try server.kubectl("get", "deployment", "web", "-o",
                                           #"jsonpath={.metadata.generation} {.status.observedGeneration} {.status.conditions[?(@.type=="Progressing")].reason}"#)
            let fields = state.stdout.split(separator: " ")
            return fields.count == 3 && fields[0] == fields[1] && fields[2] == "DeploymentPaused"
        }
        #expect(try server.kubectl("get", "rs", "-l", "app=web", "-o", "name").stdout.split(separator: "\n").count == 2)
        #expect(try server.kubectl("rollout", "resume", "deployment/web").status == 0)
        try Self.rolloutStatus(server)
        try await Self.poll("only app:3 pods", server) { try Self.images(server) == Array(repeating: "app:3", count: 3) }

        let describe = try server.kubectl("describe", "deployment", "web")
        #expect(describe.stdout.contains("ScalingReplicaSet"), "\(describe)")
        #expect(describe.stdout.contains("NewReplicaSetAvailable"), "\(describe)")
    }

    /// `kubectl rollout history`'s table as revision → change cause.
    static func changeCauses(_ table: String) -> [String: String] {
        var causes: [String: String] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2, Int(fields[0]) != nil else { continue }
            causes[String(fields[0])] = fields[1].trimmingCharacters(in: .whitespaces)
        }
        return causes
    }

    static func rolloutStatus(_ server: SkiffServerProcess) throws {
        let status = try server.kubectl("rollout", "status", "deployment/web", "--timeout=120s")
        #expect(status.status == 0 && status.stdout.contains("successfully rolled out"), "\(status)\n\(server.serverLog.suffix(3000))")
    }

    /// Names of the Ready pods not being deleted.
    static func readyPods(_ server: SkiffServerProcess) throws -> [String] {
        let query = #"{range .items[*]}{.metadata.name} {.metadata.deletionTimestamp} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#
        let pods = try server.kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath=\(query)")
        return pods.stdout.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            return fields.count == 3 && fields[1].isEmpty && fields[2] == "True" ? String(fields[0]) : nil
        }
    }

    /// The images of the pods not being deleted, sorted.
    static func images(_ server: SkiffServerProcess) throws -> [String] {
        let query = #"{range .items[*]}{.metadata.deletionTimestamp}/{.spec.containers[0].image}{"\n"}{end}"#
        let pods = try server.kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath=\(query)")
        return pods.stdout.split(separator: "\n").filter { $0.hasPrefix("/") }.map { String($0.dropFirst()) }.sorted()
    }

    /// kubectl rollout status's test: observed, all updated, no old replicas, all available.
    static func deploymentComplete(_ server: SkiffServerProcess) throws -> Bool {
        let state = try server.kubectl("get", "deployment", "web", "-o",
            "jsonpath={.metadata.generation} {.status.observedGeneration} {.spec.replicas} {.status.updatedReplicas} {.status.replicas} {.status.availableReplicas}")
        let fields = state.stdout.split(separator: " ").map(String.init)
        guard fields.count == 6 else { return false }
        return fields[0] == fields[1] && fields[2] == fields[3] && fields[3] == fields[4] && fields[4] == fields[5]
    }

    /// Polls `condition` every 200 ms for up to 90 s.
    static func poll(_ what: String, _ server: SkiffServerProcess, _ condition: () throws -> Bool) async throws {
        for _ in 0..<450 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("timed out waiting for \(what); server log:\n\(server.serverLog.suffix(4000))")
    }
}
