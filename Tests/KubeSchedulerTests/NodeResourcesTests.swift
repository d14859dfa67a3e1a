import KubeModel
import Testing
@testable import KubeScheduler

/// Upstream fit_test.go (`TestEnoughRequests`): node allocatable cpu 10m, memory 20, pods 32,
/// example.com/aaa 5.
struct NodeResourcesFitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var pod: PodBuilder
        var existing: [String: Quantity]
        var want: PluginStatus
        var plugin = NodeResourcesFit()
        var podLimit: Quantity = "32"
    }

    static func r(_ cpu: Int64, _ memory: Int64) -> [String: Quantity] {
        ["cpu": Quantity(milli: cpu), "memory": Quantity(value: memory)]
    }

    @Test(arguments: [
        Case(testDescription: "no resources requested always fits", pod: PodBuilder().container(), existing: r(10, 20), want: .success),
        Case(testDescription: "too many resources fails", pod: PodBuilder().container(r(1, 1)), existing: r(10, 20),
             want: PluginStatus(.unschedulable, ["Insufficient cpu", "Insufficient memory"])),
        Case(testDescription: "too many resources fails due to init container cpu",
             pod: PodBuilder().container(r(1, 1)).initContainer(r(3, 1)), existing: r(8, 19),
             want: .unschedulable("Insufficient cpu")),
        Case(testDescription: "too many resources fails due to highest init container memory",
             pod: PodBuilder().container(r(1, 1)).initContainer(r(1, 3)).initContainer(r(1, 2)), existing: r(9, 19),
             want: .unschedulable("Insufficient memory")),
        Case(testDescription: "init container fits because it's the max, not sum, of containers and init containers",
             pod: PodBuilder().container(r(1, 1)).initContainer(r(1, 1)), existing: r(9, 19), want: .success),
        Case(testDescription: "both resources fit", pod: PodBuilder().container(r(1, 1)), existing: r(5, 5), want: .success),
        Case(testDescription: "one resource memory fits", pod: PodBuilder().container(r(2, 1)), existing: r(9, 5),
             want: .unschedulable("Insufficient cpu")),
        Case(testDescription: "one resource cpu fits", pod: PodBuilder().container(r(1, 2)), existing: r(5, 19),
             want: .unschedulable("Insufficient memory")),
        Case(testDescription: "equal edge case", pod: PodBuilder().container(r(5, 1)), existing: r(5, 19), want: .success),
        Case(testDescription: "extended resource fits", pod: PodBuilder().container(["example.com/aaa": "1"]), existing: [:], want: .success),
        Case(testDescription: "extended resource capacity enforced",
             pod: PodBuilder().container(["example.com/aaa": "10"]), existing: [:],
             want: PluginStatus(.unschedulableAndUnresolvable, ["Insufficient example.com/aaa"])),
        Case(testDescription: "extended resource allocatable enforced",
             pod: PodBuilder().container(["example.com/aaa": "1"]), existing: ["example.com/aaa": "5"],
             want: .unschedulable("Insufficient example.com/aaa")),
        Case(testDescription: "skip checking ignored extended resource",
             pod: PodBuilder().container(["example.com/bbb": "1"]), existing: [:], want: .success,
             plugin: NodeResourcesFit(ignoredResources: ["example.com/bbb"])),
        Case(testDescription: "skip checking ignored extended resource via resource groups",
             pod: PodBuilder().container(["example.com/bbb": "1"]), existing: [:], want: .success,
             plugin: NodeResourcesFit(ignoredResourceGroups: ["example.com"])),
        Case(testDescription: "extended resource the node lacks", pod: PodBuilder().container(["example.com/bbb": "1"]),
             existing: [:], want: PluginStatus(.unschedulableAndUnresolvable, ["Insufficient example.com/bbb"])),
        Case(testDescription: "requests exceeding the node's size are unresolvable", pod: PodBuilder().container(r(11, 1)),
             existing: [:], want: PluginStatus(.unschedulableAndUnresolvable, ["Insufficient cpu"])),
        Case(testDescription: "even without specified resources, predicate fails when there's no space for additional pod",
             pod: PodBuilder().container(), existing: r(10, 20), want: .unschedulable("Too many pods"), podLimit: "1"),
        Case(testDescription: "even if both resources fit, predicate fails when there's no space for additional pod",
             pod: PodBuilder().container(r(1, 1)), existing: r(5, 5), want: .unschedulable("Too many pods"), podLimit: "1"),
    ])
    func filter(_ test: Case) {
        let node = NodeBuilder("n").allocatable(["cpu": "10m", "memory": "20", "pods": test.podLimit, "example.com/aaa": "5"]).node
        let existing = PodBuilder("existing").node("n").container(test.existing).pod
        let statuses = runFilter(test.plugin, pod: test.pod.pod, snapshot: snapshot([node], pods: [existing]))
        #expect(statuses[0] == test.want)
    }

    /// Upstream least_allocated_test.go.
    @Test func leastAllocatedDifferentlySizedNodes() {
        let nodes = [NodeBuilder("node1").allocatable(["cpu": "4000m", "memory": "10000"]).node,
                     NodeBuilder("node2").allocatable(["cpu": "6000m", "memory": "10000"]).node]
        let pod = PodBuilder().container(["cpu": "1000m", "memory": "2000"]).container(["cpu": "2000m", "memory": "3000"]).pod
        let state = CycleState()
        let scores = snapshot(nodes).nodes.map { NodeResourcesFit().score(state, pod: PodInfo(pod), node: $0) }
        #expect(scores == [37, 50])
    }

    @Test func leastAllocatedCountsExistingPodsWithNonZeroDefaults() {
        // cpu: (10000 - 3000 - 100) * 100 / 10000 = 69; memory: (20000*2^20 - 2*200Mi... ) uses the 200Mi default.
        let node = NodeBuilder("node1").allocatable(["cpu": "10000m", "memory": "2000Mi"]).node
        let existing = PodBuilder("e").node("node1").container(["cpu": "3000m"]).pod
        let score = NodeResourcesFit().score(CycleState(), pod: PodBuilder().container().info,
                                             node: snapshot([node], pods: [existing]).nodes[0])
        // cpu 69, memory (2000 - 400) * 100 / 2000 = 80 → 74.
        #expect(score == 74)
    }
}

/// Upstream balanced_allocation_test.go.
struct BalancedAllocationTests {
    @Test func differentlySizedNodes() {
        let nodes = [NodeBuilder("node1").allocatable(["cpu": "4000m", "memory": "10000"]).node,
                     NodeBuilder("node2").allocatable(["cpu": "6000m", "memory": "10000"]).node]
        let pod = PodBuilder().container(["cpu": "1000m", "memory": "2000"]).container(["cpu": "2000m", "memory": "3000"]).pod
        #expect(runScore(NodeResourcesBalancedAllocation(), pod: pod, snapshot: snapshot(nodes), normalize: false) == [87, 100])
    }

    @Test func resourcesRequestedWithPodsScheduled() {
        // node1: cpu (3000+3000)/10000 = 0.6, memory (5000+5000)/20000 = 0.5 → 100 - 5 = 95.
        let node = NodeBuilder("node1").allocatable(["cpu": "10000m", "memory": "20000"]).node
        let existing = PodBuilder("e").node("node1").container(["cpu": "3000m", "memory": "5000"]).pod
        let pod = PodBuilder().container(["cpu": "3000m", "memory": "5000"]).pod
        #expect(runScore(NodeResourcesBalancedAllocation(), pod: pod, snapshot: snapshot([node], pods: [existing]),
                         normalize: false) == [95])
    }

    @Test func bestEffortPodsAreSkipped() {
        let nodes = [NodeBuilder("node1").allocatable(["cpu": "4000m", "memory": "10000"]).node]
        #expect(runScore(NodeResourcesBalancedAllocation(), pod: PodBuilder().container().pod, snapshot: snapshot(nodes)) == nil)
    }
}

/// Upstream image_locality_test.go (current thresholds: 1000MB per container).
struct ImageLocalityTests {
    static let mb: Int64 = 1024 * 1024
    static let node403002000 = NodeBuilder("node1").images([(["gcr.io/40:latest", "gcr.io/40:v1"], 40 * mb),
                                                            (["gcr.io/300:latest", "gcr.io/300:v1"], 300 * mb),
                                                            (["gcr.io/2000:latest"], 2000 * mb)]).node
    static let node25010 = NodeBuilder("node2").images([(["gcr.io/250:latest"], 250 * mb),
                                                        (["gcr.io/10:latest", "gcr.io/10:v1"], 10 * mb)]).node

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var images: [String]
        var nodes: [CoreV1.Node]
        var want: [Int64]
    }

    @Test(arguments: [
        Case(testDescription: "two images spread on two nodes, prefer the larger image one",
             images: ["gcr.io/40", "gcr.io/250"], nodes: [node403002000, node25010], want: [0, 5]),
        Case(testDescription: "two images on one node, prefer this node",
             images: ["gcr.io/40", "gcr.io/300"], nodes: [node403002000, node25010], want: [7, 0]),
        Case(testDescription: "if exceed limit, use limit",
             images: ["gcr.io/10", "gcr.io/2000"], nodes: [node403002000, node25010], want: [49, 0]),
        Case(testDescription: "if exceed limit, use limit (with node which has no images present)",
             images: ["gcr.io/10", "gcr.io/2000"], nodes: [node403002000, node25010, NodeBuilder("node3").node], want: [32, 0, 0]),
    ])
    func score(_ test: Case) {
        var pod = PodBuilder()
        for image in test.images { pod = pod.container(image: image) }
        #expect(runScore(ImageLocality(), pod: pod.pod, snapshot: snapshot(test.nodes)) == test.want)
    }

    @Test(arguments: [("root", "root:latest"), ("gcr.io:5000/root", "gcr.io:5000/root:latest"),
                      ("root:tag", "root:tag"), ("root@sha256:abc", "root@sha256:abc")])
    func normalizedImageName(_ input: String, _ output: String) {
        #expect(ImageLocality.normalizedImageName(input) == output)
    }

    @Test func skipsWhenNoNodeHasTheImages() {
        #expect(runScore(ImageLocality(), pod: PodBuilder().container(image: "nginx").pod, snapshot: snapshot([Self.node25010])) == nil)
    }
}
