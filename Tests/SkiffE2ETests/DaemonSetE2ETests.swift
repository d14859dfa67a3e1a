import Foundation
import SkiffTestSupport
import Testing

/// The daemonset-controller inside `skiff server`, on hollow nodes, driven with kubectl: a pod
/// per node, following nodes joining (a second hollow-nodes process) and leaving (the node
/// deleted), a tainted node skipped until tolerated, a rolling update, `kubectl rollout
/// status|history`.
@Suite(.serialized, .e2eSlot)
struct DaemonSetE2ETests {
    static func manifest(image: String, tolerateInfra: Bool) -> String {
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata:
              labels: {app: agent}
            spec:
        \(tolerateInfra ? "      tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]\n" : "")\
              containers:
              - name: agent
                image: "\(image)"

        """
    }

    @Test(.timeLimit(.minutes(5)))
    func daemonSetFollowsNodesTaintsAndRollsUpdates() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2", "--name-prefix", "a-"], logName: "a.log")
        defer { fleet.kill() }
        let infra = try HollowNodesProcess(server: server, arguments: [
            "--count", "1", "--name-prefix", "infra-", "--taints", "dedicated=infra:NoSchedule",
        ], logName: "infra.log")
        defer { infra.kill() }
        try await Self.poll("3 nodes") {
            try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 3
        }

        // One pod on each untainted node.
        let file = server.dataDirectory.appendingPathComponent("agent.yaml")
        try Self.manifest(image: "app:1", tolerateInfra: false).write(to: file, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", file.path).status == 0)
        let first = try server.kubectl("rollout", "status", "daemonset/agent", "--timeout=90s")
        #expect(first.status == 0 && first.stdout.contains("daemon set \"agent\" successfully rolled out"), "\(first)")
        #expect(try Self.placement(server) == ["a-0=app:1", "a-1=app:1"])
        let annotation = try server.kubectl("get", "ds", "agent", "-o",
                                            #"jsonpath={.metadata.annotations.deprecated\.daemonset\.template\.generation}"#)
        #expect(annotation.stdout == "1", "\(annotation)")

        // A node joins.
        let joining = try HollowNodesProcess(server: server, arguments: ["--count", "1", "--name-prefix", "b-"], logName: "b.log")
        defer { joining.kill() }
        try await Self.poll("a pod on b-0") { try Self.placement(server).contains("b-0=app:1") }
        try await Self.poll("3 desired, 3 ready") { try Self.counts(server) == "3 3 3" }

        // Tolerating the taint and a new image: the pods roll, one node at a time, onto all four nodes.
        try Self.manifest(image: "app:2", tolerateInfra: true).write(to: file, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", file.path).status == 0)
        let rolled = try server.kubectl("rollout", "status", "daemonset/agent", "--timeout=120s")
        #expect(rolled.status == 0 && rolled.stdout.contains("successfully rolled out"), "\(rolled)")
        try await Self.poll("app:2 on a-0, a-1, b-0 and infra-0") {
            try Self.placement(server) == ["a-0=app:2", "a-1=app:2", "b-0=app:2", "infra-0=app:2"]
        }
        let status = try server.kubectl("get", "ds", "agent", "-o",
                                        "jsonpath={.status.updatedNumberScheduled} {.status.numberMisscheduled} {.status.observedGeneration}")
        #expect(status.stdout == "4 0 2", "\(status)")
        try await Self.poll("only generation-2 pods") {
            let labels = try server.kubectl("get", "pods", "-o",
                                            #"jsonpath={range .items[*]}{.metadata.labels.pod-template-generation}{"\n"}{end}"#)
            return labels.stdout.split(separator: "\n") == ["2", "2", "2", "2"]
        }
        let history = try server.kubectl("rollout", "history", "daemonset/agent")
        #expect(history.status == 0, "\(history)")
        #expect(history.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 2, "\(history)")
        let events = try server.kubectl("get", "events", "--field-selector", "involvedObject.kind=DaemonSet,reason=SuccessfulDelete",
                                        "-o", "jsonpath={.items[*].message}")
        #expect(events.stdout.contains("Deleted pod: agent-"), "\(events)")

        // b-0 leaves: its kubelet stops and the node object is deleted (its pod is the pod GC's).
        _ = try await joining.terminate()
        #expect(try server.kubectl("delete", "node", "b-0").status == 0)
        try await Self.poll("3 desired") { try Self.counts(server) == "3 3 3" }
    }

    /// "node=image" of each running (not terminating) daemon pod, sorted.
    static func placement(_ server: SkiffServerProcess) throws -> [String] {
        let all = try server.kubectl("get", "pods", "-l", "app=agent", "-o",
                                     #"jsonpath={range .items[*]}{.spec.nodeName}={.spec.containers[0].image} {.status.phase} {.metadata.deletionTimestamp}{"\n"}{end}"#)
        return all.stdout.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 2, fields[1] == "Running" else { return nil }
            return fields[0]
        }.sorted()
    }

    /// "desired current ready" of the DaemonSet's status.
    static func counts(_ server: SkiffServerProcess) throws -> String {
        try server.kubectl("get", "ds", "agent", "-o",
                           "jsonpath={.status.desiredNumberScheduled} {.status.currentNumberScheduled} {.status.numberReady}").stdout
    }

    /// Polls every 250 ms for up to 90 s.
    static func poll(_ what: String, _ condition: () throws -> Bool) async throws {
        for _ in 0..<360 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw E2EError("timed out waiting for \(what)")
    }
}
