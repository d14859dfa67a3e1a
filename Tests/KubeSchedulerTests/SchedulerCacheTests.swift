import KubeModel
import Testing
@testable import KubeScheduler

@Suite struct SchedulerCacheTests {
    static func node(_ name: String, cpu: String = "4") -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        node.status.allocatable = ["cpu": Quantity(stringLiteral: cpu), "memory": "8Gi", "pods": "110"]
        return node
    }

    static func pod(_ name: String, cpu: String, node: String? = nil) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.spec.nodeName = node
        var container = CoreV1.Container(name: "c")
        container.resources = CoreV1.ResourceRequirements(requests: ["cpu": Quantity(stringLiteral: cpu)])
        pod.spec.containers = [container]
        return pod
    }

    @Test func assumedPodsCountUntilConfirmedOrForgotten() {
        var cache = SchedulerCache()
        cache.addOrUpdateNode(Self.node("n1"))
        cache.assume(PodInfo(Self.pod("a", cpu: "1")), on: "n1")
        #expect(cache.node(named: "n1")?.requested.milliCPU == 1000)
        #expect(cache.isAssumed("default/a"))
        // The informer confirms the binding: counted once, no longer assumed.
        cache.addOrUpdateBoundPod(Self.pod("a", cpu: "1", node: "n1"))
        #expect(cache.node(named: "n1")?.requested.milliCPU == 1000)
        #expect(!cache.isAssumed("default/a") && cache.isAssumedOrBound("default/a"))
        // Forgetting a confirmed pod does nothing; a failed binding forgets an assumed one.
        cache.forget(key: "default/a")
        #expect(cache.node(named: "n1")?.pods.count == 1)
        cache.assume(PodInfo(Self.pod("b", cpu: "500m")), on: "n1")
        cache.forget(key: "default/b")
        #expect(cache.node(named: "n1")?.requested.milliCPU == 1000)
    }

    @Test func podsOnUnknownNodesWaitForTheNode() {
        var cache = SchedulerCache()
        cache.addOrUpdateBoundPod(Self.pod("a", cpu: "1", node: "late"))
        #expect(cache.snapshot().nodes.isEmpty)
        cache.addOrUpdateNode(Self.node("late"))
        #expect(cache.snapshot().node(named: "late")?.requested.milliCPU == 1000)
        cache.removeNode(named: "late")
        #expect(cache.nodeCount == 0)
        cache.removePod(key: "default/a")
        cache.addOrUpdateNode(Self.node("late"))
        #expect(cache.snapshot().node(named: "late")?.pods.isEmpty == true)
    }

    @Test func removingANodeKeepsTheOthersFindable() {
        var cache = SchedulerCache()
        for name in ["a", "b", "c"] { cache.addOrUpdateNode(Self.node(name)) }
        cache.removeNode(named: "a")
        let snapshot = cache.snapshot()
        #expect(snapshot.nodes.map(\.name).sorted() == ["b", "c"])
        #expect(snapshot.node(named: "c")?.name == "c" && snapshot.node(named: "b")?.name == "b")
    }

    /// Upstream's effective requests: max(containers + sidecars, largest init step) + overhead.
    @Test func effectiveRequestsFollowUpstream() {
        var pod = Self.pod("p", cpu: "1")
        var regularInit = CoreV1.Container(name: "init")
        regularInit.resources = CoreV1.ResourceRequirements(requests: ["cpu": "3", "memory": "1Gi"])
        var sidecar = CoreV1.Container(name: "sidecar")
        sidecar.restartPolicy = "Always"
        sidecar.resources = CoreV1.ResourceRequirements(requests: ["cpu": "500m"])
        pod.spec.initContainers = [sidecar, regularInit]
        pod.spec.overhead = ["cpu": "100m"]
        let info = PodInfo(pod)
        // init step: 3 + 0.5 sidecar = 3.5 > 1 + 0.5; plus 0.1 overhead.
        #expect(info.requests.milliCPU == 3600)
        #expect(info.requests.memory == 1 << 30)
        // Scoring assumes 100m/200Mi for containers that name none.
        #expect(info.nonZeroRequests.memory == (1 << 30) + 200 * 1024 * 1024)
        #expect(PodInfo(Self.pod("q", cpu: "1")).nonZeroRequests.memory == 200 * 1024 * 1024)
    }
}
