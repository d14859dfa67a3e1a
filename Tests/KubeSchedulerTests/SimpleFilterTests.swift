import KubeModel
import Testing
@testable import KubeScheduler

/// Upstream node_name_test.go.
struct NodeNameTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var podNode: String?
        var want: PluginStatus
    }

    @Test(arguments: [
        Case(testDescription: "no host specified", podNode: nil, want: .success),
        Case(testDescription: "host matches", podNode: "foo", want: .success),
        Case(testDescription: "host doesn't match", podNode: "bar",
             want: .unresolvable("node(s) didn't match the requested node name")),
    ])
    func filter(_ test: Case) {
        var pod = PodBuilder()
        if let name = test.podNode { pod = pod.node(name) }
        #expect(NodeName().filter(CycleState(), pod: pod.info, node: NodeBuilder("foo").info()) == test.want)
    }
}

/// Upstream node_unschedulable_test.go.
struct NodeUnschedulableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var unschedulable: Bool?
        var tolerations: [CoreV1.Toleration]
        var want: PluginStatus
    }

    static let tolerate = CoreV1.Toleration(effect: "NoSchedule", key: "node.kubernetes.io/unschedulable", operator: "Exists")

    @Test(arguments: [
        Case(testDescription: "Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
             unschedulable: true, tolerations: [], want: .unresolvable("node(s) were unschedulable")),
        Case(testDescription: "Schedule pod to normal node", unschedulable: false, tolerations: [], want: .success),
        Case(testDescription: "Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)",
             unschedulable: true, tolerations: [tolerate], want: .success),
        Case(testDescription: "Schedule pod to node without unschedulable set", unschedulable: nil, tolerations: [], want: .success),
    ])
    func filter(_ test: Case) {
        let node = NodeBuilder("n").unschedulable(test.unschedulable).info()
        #expect(NodeUnschedulable().filter(CycleState(), pod: PodBuilder().tolerations(test.tolerations).info, node: node) == test.want)
    }
}

/// Upstream node_ports_test.go (`TestNodePorts`).
struct NodePortsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var wanted: [HostPort]
        var used: [HostPort]
        var fits: Bool
    }

    static func ports(_ specs: String...) -> [HostPort] {
        specs.map { spec in
            let parts = spec.split(separator: "/").map(String.init)
            return HostPort(ip: parts[1], protocol: parts[0], port: Int32(parts[2])!)
        }
    }

    @Test(arguments: [
        Case(testDescription: "nothing running", wanted: ports("UDP/127.0.0.1/8080"), used: [], fits: true),
        Case(testDescription: "other port", wanted: ports("UDP/127.0.0.1/8080"), used: ports("UDP/127.0.0.1/9090"), fits: true),
        Case(testDescription: "same udp port", wanted: ports("UDP/127.0.0.1/8080"), used: ports("UDP/127.0.0.1/8080"), fits: false),
        Case(testDescription: "same tcp port", wanted: ports("TCP/127.0.0.1/8080"), used: ports("TCP/127.0.0.1/8080"), fits: false),
        Case(testDescription: "different host ip", wanted: ports("TCP/127.0.0.1/8080"), used: ports("TCP/127.0.0.2/8080"), fits: true),
        Case(testDescription: "different protocol", wanted: ports("UDP/127.0.0.1/8080"), used: ports("TCP/127.0.0.1/8080"), fits: true),
        Case(testDescription: "second udp port conflict", wanted: ports("UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"),
             used: ports("UDP/127.0.0.1/8080"), fits: false),
        Case(testDescription: "first tcp port conflict", wanted: ports("TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"),
             used: ports("TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"), fits: false),
        Case(testDescription: "first tcp port conflict due to 0.0.0.0 hostIP", wanted: ports("TCP/0.0.0.0/8001"),
             used: ports("TCP/127.0.0.1/8001"), fits: false),
        Case(testDescription: "TCP hostPort conflict due to 0.0.0.0 hostIP", wanted: ports("TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"),
             used: ports("TCP/127.0.0.1/8001"), fits: false),
        Case(testDescription: "second tcp port conflict to 0.0.0.0 hostIP", wanted: ports("TCP/127.0.0.1/8001"),
             used: ports("TCP/0.0.0.0/8001"), fits: false),
        Case(testDescription: "second different protocol", wanted: ports("UDP/127.0.0.1/8001"), used: ports("TCP/0.0.0.0/8001"), fits: true),
        Case(testDescription: "UDP hostPort conflict due to 0.0.0.0 hostIP", wanted: ports("UDP/127.0.0.1/8001"),
             used: ports("TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"), fits: false),
    ])
    func filter(_ test: Case) {
        let pod = PodBuilder("p").hostPorts(test.wanted.map { ($0.protocol, $0.ip, $0.port) })
        let existing = PodBuilder("e").node("n").hostPorts(test.used.map { ($0.protocol, $0.ip, $0.port) })
        let statuses = runFilter(NodePorts(), pod: pod.pod, snapshot: snapshot([NodeBuilder("n").node], pods: [existing.pod]))
        #expect(statuses[0] == (test.fits ? .success : .unschedulable(NodePorts.errReason)))
    }

    @Test func preFilterSkipsPodsWithoutHostPorts() {
        #expect(NodePorts().preFilter(CycleState(), pod: PodBuilder().container().info, snapshot: snapshot([])) == .skip)
    }
}
