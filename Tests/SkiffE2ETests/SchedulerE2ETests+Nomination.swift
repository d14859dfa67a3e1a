import Foundation
import SkiffTestSupport
import Testing

extension SchedulerE2ETests {
    /// A preemptor waits on its nominated node while its victim terminates (a finalizer holds
    /// it); once that node can never host it (tainted) and no other victim is allowed (the other
    /// node's pod has a higher priority), preemption finds nothing and the nomination is cleared.
    @Test(.timeLimit(.minutes(5)))
    func aPreemptionThatFindsNothingClearsTheNomination() async throws {
        let (server, fleet) = try await Self.twoNodesOf2CPUs()
        defer { server.kill(); fleet.kill() }
        let manifest = server.dataDirectory.appendingPathComponent("held.yaml")
        try """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: top}
            value: 2000
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: held, finalizers: [example.com/hold]}
            spec:
              containers: [{name: app, image: "app:1", resources: {requests: {cpu: 1500m}}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: important}
            spec:
              priorityClassName: top
              containers: [{name: app, image: "app:1", resources: {requests: {cpu: 1500m}}}]
            """.write(to: manifest, atomically: true, encoding: .utf8)
        #expect(try server.kubectl("apply", "-f", manifest.path).status == 0)
        try await Self.poll("both placed") {
            let placement = try Self.placement(server)
            return !(placement["held"] ?? "").isEmpty && !(placement["important"] ?? "").isEmpty
        }
        let heldNode = try Self.placement(server)["held"] ?? ""
        try Self.applyUrgentPod(server)
        // urgent preempts `held`, which stays Terminating: urgent waits, nominated to its node.
        try await Self.poll("urgent nominated to held's node") {
            try server.kubectl("get", "pod", "urgent", "-o", "jsonpath={.status.nominatedNodeName}").stdout == heldNode
        }
        #expect(try server.kubectl("get", "pod", "held", "-o", "jsonpath={.metadata.deletionTimestamp}").stdout != "")
        #expect(try server.kubectl("taint", "nodes", heldNode, "dedicated=infra:NoSchedule").status == 0)
        try await Self.poll("the nomination cleared") {
            try server.kubectl("get", "pod", "urgent", "-o", "jsonpath={.status.nominatedNodeName}").stdout.isEmpty
        }
        let message = try server.kubectl("get", "pod", "urgent", "-o",
                                         #"jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}"#).stdout
        #expect(message.contains("node(s) had untolerated taint {dedicated: infra}") && message.contains("preemption: 0/2 nodes are available"),
                "\(message)")
        #expect(try server.kubectl("patch", "pod", "held", "--type=merge", "-p", #"{"metadata":{"finalizers":null}}"#).status == 0)
    }
}
