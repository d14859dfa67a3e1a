import Foundation
import SkiffTestSupport
import Testing

/// The scheduler in `skiff server` placing pods on hollow nodes, driven by the stock kubectl:
/// resources, node selectors, taints and tolerations, pod anti-affinity, topology spread over
/// zones, and preemption by priority.
@Suite(.serialized, .e2eSlot)
struct SchedulerE2ETests {
    static let workloads = """
        apiVersion: v1
        kind: Pod
        metadata: {name: big}
        spec:
          containers: [{name: app, image: "app:1", resources: {requests: {cpu: "3"}}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: on-ssd}
        spec:
          nodeSelector: {disk: ssd}
          containers: [{name: app, image: "app:1"}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: on-infra}
        spec:
          nodeSelector: {topology.kubernetes.io/zone: zone-b}
          tolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]
          containers: [{name: app, image: "app:1"}]
        """

    static func spreadPod(_ name: String) -> String {
        """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: \(name), labels: {app: apart}}
        spec:
          tolerations: [{operator: Exists}]
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
              - {labelSelector: {matchLabels: {app: apart}}, topologyKey: kubernetes.io/hostname}
          containers: [{name: app, image: "app:1"}]
        """
    }

    static func zonedPod(_ name: String) -> String {
        """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: \(name), labels: {app: zoned}}
        spec:
          tolerations: [{operator: Exists}]
          topologySpreadConstraints:
          - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: zoned}}}
          containers: [{name: app, image: "app:1"}]
        """
    }

    @Test(.timeLimit(.minutes(5)))
    func placesPodsTheWayKubeSchedulerDoes() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let zoneA = try HollowNodesProcess(server: server, arguments: [
            "--count", "2", "--name-prefix", "a-", "--cpu", "2",
            "--labels", "topology.kubernetes.io/zone=zone-a,disk=ssd",
        ], logName: "zone-a.log")
        defer { zoneA.kill() }
        let zoneB = try HollowNodesProcess(server: server, arguments: [
            "--count", "2", "--name-prefix", "b-", "--cpu", "2",
            "--labels", "topology.kubernetes.io/zone=zone-b", "--taints", "dedicated=infra:NoSchedule",
        ], logName: "zone-b.log")
        defer { zoneB.kill() }
        try await Self.poll("4 nodes") {
            try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 4
        }

        let manifest = server.dataDirectory.appendingPathComponent("workloads.yaml")
        let text = Self.workloads + ["apart-1", "apart-2", "apart-3"].map(Self.spreadPod).joined()
            + (1...4).map { Self.zonedPod("zoned-\($0)") }.joined()
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let apply = try server.kubectl("apply", "-f", manifest.path)
        #expect(apply.status == 0, "\(apply)")

        var placement: [String: String] = [:]
        try await Self.poll("pods placed") {
            placement = try Self.placement(server)
            return ["on-ssd", "on-infra", "apart-1", "apart-2", "apart-3", "zoned-1", "zoned-2", "zoned-3", "zoned-4"]
                .allSatisfy { !(placement[$0] ?? "").isEmpty }
        }
        #expect(placement["big"] == "", "\(placement)")
        #expect(placement["on-ssd"]?.hasPrefix("a-") == true, "\(placement)")
        #expect(placement["on-infra"]?.hasPrefix("b-") == true, "\(placement)")
        let apart = Set(["apart-1", "apart-2", "apart-3"].compactMap { placement[$0] })
        #expect(apart.count == 3, "anti-affinity keeps them on different nodes: \(placement)")
        let zonedInA = (1...4).filter { placement["zoned-\($0)"]?.hasPrefix("a-") == true }.count
        #expect(zonedInA == 2, "maxSkew 1 over two zones: \(placement)")

        // The pod that fits nowhere: PodScheduled=False and a FailedScheduling event.
        var condition = ""
        try await Self.poll("PodScheduled=False on big") {
            condition = try server.kubectl("get", "pod", "big", "-o",
                #"jsonpath={.status.conditions[?(@.type=="PodScheduled")].status} {.status.conditions[?(@.type=="PodScheduled")].reason}"#).stdout
            return condition == "False Unschedulable"
        }
        let expected = "0/4 nodes are available: 2 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: infra}."
        var events = ""
        try await Self.poll("a FailedScheduling event") {
            events = try server.kubectl("get", "events", "--field-selector", "involvedObject.name=big,reason=FailedScheduling",
                                        "-o", "jsonpath={.items[*].message}").stdout
            return events.hasPrefix(expected)
        }
        let describe = try server.kubectl("describe", "pod", "big")
        #expect(describe.stdout.contains("FailedScheduling") && describe.stdout.contains(expected), "\(describe.stdout)")
        let scheduled = try server.kubectl("get", "events", "--field-selector", "involvedObject.name=on-ssd,reason=Scheduled",
                                           "-o", "jsonpath={.items[*].message}")
        #expect(scheduled.stdout.hasPrefix("Successfully assigned default/on-ssd to a-"), "\(scheduled)")
        // Every pod bound has its Scheduled event.
        let bound: Set = ["on-ssd", "on-infra", "apart-1", "apart-2", "apart-3", "zoned-1", "zoned-2", "zoned-3", "zoned-4"]
        var reported: Set<String> = []
        try await Self.poll("a Scheduled event per bound pod") {
            reported = Set(try server.kubectl("get", "events", "--field-selector", "reason=Scheduled",
                                              "-o", "jsonpath={.items[*].involvedObject.name}").stdout
                .split(separator: " ").map(String.init))
            return reported == bound
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aHigherPriorityPodPreemptsALowerOne() async throws {
        let (server, fleet) = try await Self.twoNodesOf2CPUs()
        defer { server.kill(); fleet.kill() }
        let fillers = (1...2).map { index in
            """

            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: filler-\(index)}
            spec:
              containers: [{name: app, image: "app:1", resources: {requests: {cpu: 1500m}}}]
            """
        }.joined()
        let manifest = server.dataDirectory.appendingPathComponent("fillers.yaml")
        try fillers.write(to: manifest, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", manifest.path).status == 0)
        try await Self.poll("fillers placed") {
            let placement = try Self.placement(server)
            return !(placement["filler-1"] ?? "").isEmpty && !(placement["filler-2"] ?? "").isEmpty
        }
        try Self.applyUrgentPod(server)
        var placement: [String: String] = [:]
        try await Self.poll("urgent bound after preempting a filler") {
            placement = try Self.placement(server)
            return !(placement["urgent"] ?? "").isEmpty && placement.count == 2
        }
        let preempted = try server.kubectl("get", "events", "--field-selector", "reason=Preempted",
                                           "-o", "jsonpath={.items[*].message}")
        #expect(preempted.stdout.hasPrefix("Preempted by pod "), "\(preempted)")
    }

    @Test(.timeLimit(.minutes(5)))
    func preemptionSparesAPodItsDisruptionBudgetProtects() async throws {
        let (server, fleet) = try await Self.twoNodesOf2CPUs()
        defer { server.kill(); fleet.kill() }
        // Two fillers, one node each; a budget lets none of the guarded ones go. Without it the
        // guarded filler, of lower priority, would be the one preempted.
        let manifest = server.dataDirectory.appendingPathComponent("guarded.yaml")
        try """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: medium}
            value: 10
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: guarded}
            spec:
              minAvailable: 1
              selector: {matchLabels: {app: guarded}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: guarded, labels: {app: guarded}}
            spec:
              containers: [{name: app, image: "app:1", resources: {requests: {cpu: 1500m}}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: plain}
            spec:
              priorityClassName: medium
              containers: [{name: app, image: "app:1", resources: {requests: {cpu: 1500m}}}]
            """.write(to: manifest, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", manifest.path).status == 0)
        try await Self.poll("fillers placed and the budget counted") {
            let placement = try Self.placement(server)
            let budget = try server.kubectl("get", "pdb", "guarded", "-o", "jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}")
            return !(placement["guarded"] ?? "").isEmpty && !(placement["plain"] ?? "").isEmpty && budget.stdout == "1/0"
        }
        try Self.applyUrgentPod(server)
        var placement: [String: String] = [:]
        try await Self.poll("urgent bound in place of the unguarded filler") {
            placement = try Self.placement(server)
            return !(placement["urgent"] ?? "").isEmpty && placement["plain"] == nil
        }
        #expect(!(placement["guarded"] ?? "").isEmpty && placement["guarded"] != placement["urgent"], "\(placement)")
    }

    @Test(.timeLimit(.minutes(5)))
    func standbySchedulersTakeOverThroughTheLease() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent", "--disable-scheduler"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "1"], logName: "fleet.log")
        defer { fleet.kill() }
        let first = try HollowNodesProcess(server: server, command: "scheduler", arguments: [], logName: "scheduler-1.log")
        defer { first.kill() }
        let second = try HollowNodesProcess(server: server, command: "scheduler", arguments: [], logName: "scheduler-2.log")
        defer { second.kill() }
        let holderQuery = "jsonpath={.spec.holderIdentity} {.spec.leaseTransitions}"
        var holder = ""
        try await Self.poll("a scheduler holding kube-system/kube-scheduler") {
            holder = try server.kubectl("get", "lease", "kube-scheduler", "-n", "kube-system", "-o", holderQuery).stdout
            return !holder.isEmpty && !holder.hasPrefix(" ")
        }
        #expect(try server.kubectl("run", "one", "--image", "app:1").status == 0)
        try await Self.poll("pod one bound") { !(try Self.placement(server)["one"] ?? "").isEmpty }

        // The leader dies without releasing: the standby takes over once the lease runs out.
        let leaderLog = first.output.contains("became leader") ? first : second
        leaderLog.kill()
        try await Self.poll("a new holder") {
            let now = try server.kubectl("get", "lease", "kube-scheduler", "-n", "kube-system", "-o", holderQuery).stdout
            return now.hasSuffix(" 1")
        }
        #expect(try server.kubectl("run", "two", "--image", "app:1").status == 0)
        try await Self.poll("pod two bound") { !(try Self.placement(server)["two"] ?? "").isEmpty }
    }

    /// Pod name → node name ("" while pending).
    /// A server with two hollow nodes of 2 CPUs each (room for one 1.5-CPU pod per node).
    static func twoNodesOf2CPUs() async throws -> (SkiffServerProcess, HollowNodesProcess) {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        do {
            try await server.waitUntilReady()
            let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2", "--cpu", "2"], logName: "fleet.log")
            do {
                try await poll("2 nodes") {
                    try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 2
                }
                return (server, fleet)
            } catch {
                fleet.kill()
                throw error
            }
        } catch {
            server.kill()
            throw error
        }
    }

    /// Creates `urgent`, a 1.5-CPU pod of PriorityClass `high` (1000).
    static func applyUrgentPod(_ server: SkiffServerProcess) throws {
        let urgent = server.dataDirectory.appendingPathComponent("urgent.yaml")
        try """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: high}
            value: 1000
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: urgent}
            spec:
              priorityClassName: high
              containers: [{name: app, image: "app:1", resources: {requests: {cpu: 1500m}}}]
            """.write(to: urgent, atomically: true, encoding: .utf8)
        let apply = try server.kubectl("apply", "-f", urgent.path)
        #expect(apply.status == 0, "\(apply)")
    }

    static func placement(_ server: SkiffServerProcess) throws -> [String: String] {
        let output = try server.kubectl("get", "pods", "-o",
                                        #"jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName}{"\n"}{end}"#).stdout
        var result: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
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
