import KubeModel
import Testing
@testable import KubeAPIServer

/// Selectable fields read from a decoded object's typed members equal those read from its JSON
/// (upstream's `pod.ToSelectableFields` / `GetAttrs`): the watch cache takes whichever is at hand.
struct SelectableFieldsTypedTests {
    static let pods = KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "pods")!
    static let leases = KubeResourceCatalog.builtIn.resource(group: "coordination.k8s.io", version: "v1", resource: "leases")!
    static let nodes = KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "nodes")!

    static func pod(_ change: (inout CoreV1.Pod) -> Void) -> CoreV1.Pod {
        var pod = CoreV1.Pod(metadata: MetaV1.ObjectMeta(labels: ["app": "web"], name: "p", namespace: "ns"))
        change(&pod)
        return pod
    }

    static let podCases: [CoreV1.Pod] = [
        pod { _ in },
        pod { $0.metadata.labels = nil; $0.metadata.namespace = nil },
        pod { $0.spec.nodeName = "node-1"; $0.spec.schedulerName = "default-scheduler"; $0.spec.restartPolicy = "Always" },
        pod { $0.spec.hostNetwork = true; $0.spec.serviceAccountName = "default" },
        pod { $0.spec.hostNetwork = false },
        pod { $0.status.phase = "Running"; $0.status.podIP = "10.0.0.1"; $0.status.podIPs = [CoreV1.PodIP(ip: "10.0.0.1")] },
        // Only podIPs: the first one is the pod's IP.
        pod { $0.status.podIPs = [CoreV1.PodIP(ip: "10.0.0.2"), CoreV1.PodIP(ip: "fd00::2")] },
        pod { $0.status.podIP = ""; $0.status.podIPs = [CoreV1.PodIP(ip: "10.0.0.3")] },
        pod { $0.status.nominatedNodeName = "node-2"; $0.status.phase = "Pending" },
    ]

    @Test(arguments: podCases)
    func podFieldsMatchTheJSONForm(_ pod: CoreV1.Pod) throws {
        let typed = try #require(SelectableAttributes(typed: pod, resource: Self.pods))
        let json = SelectableAttributes(json: try ResourceRegistry.json(pod), resource: Self.pods)
        #expect(typed.labels == json.labels)
        #expect(typed.fields == json.fields)
        #expect(typed.fields.count == SelectableFields.supported(Self.pods).count)
    }

    @Test func kindsWithoutExtraFieldsReadTheirMetadata() throws {
        let lease = CoordinationV1.Lease(metadata: MetaV1.ObjectMeta(labels: ["k": "v"], name: "node-1", namespace: "kube-node-lease"))
        let typed = try #require(SelectableAttributes(typed: lease, resource: Self.leases))
        let json = SelectableAttributes(json: try ResourceRegistry.json(lease), resource: Self.leases)
        #expect(typed.labels == json.labels && typed.fields == json.fields)
    }

    @Test func kindsWithOtherFieldsAreLeftToTheJSONForm() {
        // Nodes select on spec.unschedulable, read from JSON only.
        #expect(SelectableAttributes(typed: CoreV1.Node(metadata: MetaV1.ObjectMeta(name: "n")), resource: Self.nodes) == nil)
    }
}
