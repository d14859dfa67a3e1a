import Foundation
import SkiffTestSupport
import Testing

/// The node lifecycle, taint eviction and node IPAM controllers in a real `skiff server`: a
/// hollow-node fleet killed with SIGKILL stops renewing its Lease, its node turns Ready=Unknown
/// with the `unreachable` taints, its pods are marked not ready, and a pod tolerating
/// `unreachable` for 5 s is evicted while one tolerating it for 300 s stays.
@Suite(.serialized, .e2eSlot)
struct NodeLifecycleE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func anUnreachableNodeIsTaintedAndItsPodsEvicted() async throws {
        // A short grace period (hollow nodes renew their Leases every 10 s).
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent", "--node-monitor-grace-period", "20s"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let doomed = try HollowNodesProcess(server: server, arguments: ["--count", "1", "--name-prefix", "doomed-"],
                                            logName: "doomed.log")
        defer { doomed.kill() }
        let survivor = try HollowNodesProcess(server: server, arguments: ["--count", "1", "--name-prefix", "survivor-"],
                                              logName: "survivor.log")
        defer { survivor.kill() }
        let readiness = #"{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#
        try await Self.poll("2 Ready nodes", server) {
            try server.kubectl("get", "nodes", "-o", "jsonpath=\(readiness)").stdout.split(separator: "\n").sorted()
                == ["doomed-0=True", "survivor-0=True"]
        }
        // Node IPAM: each node gets a /24 of the default cluster CIDR.
        try await Self.poll("pod CIDRs", server) {
            let cidrs = try server.kubectl("get", "nodes", "-o", "jsonpath={.items[*].spec.podCIDR}").stdout
                .split(separator: " ").map(String.init)
            return cidrs.count == 2 && Set(cidrs).count == 2 && cidrs.allSatisfy { $0.hasPrefix("10.42.") && $0.hasSuffix(".0/24") }
        }

        let manifest = server.dataDirectory.appendingPathComponent("pods.yaml")
        try (Self.pod("short", seconds: 5) + "\n---\n" + Self.pod("long", seconds: 300))
            .write(to: manifest, atomically: true, encoding: .utf8)
        let create = try server.kubectl("create", "-f", manifest.path)
        #expect(create.status == 0, "\(create)")
        let podReady = #"{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#
        try await Self.poll("pods running", server) {
            try server.kubectl("get", "pods", "-o", "jsonpath=\(podReady)").stdout.split(separator: "\n").sorted()
                == ["long=True", "short=True"]
        }

        doomed.kill()
        let nodeState = #"{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason} {range .spec.taints[*]}{.key}:{.effect},{end}"#
        var state = ""
        try await Self.poll("doomed-0 unreachable", server) {
            state = try server.kubectl("get", "node", "doomed-0", "-o", "jsonpath=\(nodeState)").stdout
            return state.contains("node.kubernetes.io/unreachable:NoExecute")
        }
        #expect(state.hasPrefix("Unknown NodeStatusUnknown "), "\(state)")
        #expect(state.contains("node.kubernetes.io/unreachable:NoSchedule"), "\(state)")
        let message = try server.kubectl("get", "node", "doomed-0", "-o",
                                         #"jsonpath={.status.conditions[?(@.type=="Ready")].message}"#)
        #expect(message.stdout == "Kubelet stopped posting node status.", "\(message)")
        let survivorState = try server.kubectl("get", "node", "survivor-0", "-o", "jsonpath=\(nodeState)").stdout
        #expect(survivorState.hasPrefix("True "), "\(survivorState)")

        // The 5 s pod is evicted (it stays Terminating: its kubelet is gone), the 300 s one stays.
        let deletion = #"{range .items[*]}{.metadata.name}={.metadata.deletionTimestamp}/{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#
        var pods: [String] = []
        try await Self.poll("short evicted", server) {
            pods = try server.kubectl("get", "pods", "-o", "jsonpath=\(deletion)").stdout.split(separator: "\n").map(String.init).sorted()
            return pods.contains { $0.hasPrefix("short=") && !$0.hasPrefix("short=/") }
        }
        #expect(pods.contains("long=/False"), "\(pods)")
        let disruption = try server.kubectl("get", "pod", "short", "-o",
                                            #"jsonpath={.status.conditions[?(@.type=="DisruptionTarget")].reason}"#)
        #expect(disruption.stdout == "DeletionByTaintManager", "\(disruption)")
        try await Self.poll("the eviction event", server) {
            try server.kubectl("get", "events", "--field-selector", "reason=TaintManagerEviction", "-o",
                               "jsonpath={.items[*].message}").stdout.contains("Marking for deletion Pod default/short")
        }
    }

    static func pod(_ name: String, seconds: Int) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
        spec:
          nodeName: doomed-0
          tolerations:
          - key: node.kubernetes.io/unreachable
            operator: Exists
            effect: NoExecute
            tolerationSeconds: \(seconds)
          containers:
          - name: app
            image: "app:1"
        """
    }

    /// Polls `condition` every 250 ms for up to 90 s.
    static func poll(_ what: String, _ server: SkiffServerProcess, _ condition: () throws -> Bool) async throws {
        for _ in 0..<360 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw E2EError("timed out waiting for \(what); server log:\n\(server.serverLog.suffix(4000))")
    }
}
