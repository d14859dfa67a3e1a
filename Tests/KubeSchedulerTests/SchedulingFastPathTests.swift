import KubeModel
import Testing
@testable import KubeScheduler

/// The scheduling cycle's shortcuts give the answers of the long way round: NodeResourcesFit's
/// allocation-free check, the cache's lists of nodes with (anti-)affinity pods, InterPodAffinity
/// skipping when nothing can match, typed CycleState slots and NodeInfo's copied node fields.
struct SchedulingFastPathTests {
    static let hostname = "kubernetes.io/hostname"

    static func antiAffinityPod(_ name: String, group: String, node: String? = nil) -> PodBuilder {
        var builder = PodBuilder(name).labels(["group": group])
            .podAntiAffinity(required: [affinityTerm(selector(["group": group]), hostname)])
        if let node { builder = builder.node(node) }
        return builder
    }

    static func hostNode(_ name: String) -> CoreV1.Node {
        NodeBuilder(name).label(hostname, name).label("zone", "z1").node
    }

    // MARK: NodeResourcesFit

    @Test func fitFastPathAgreesWithFits() {
        let fit = NodeResourcesFit()
        let amounts: [Int64] = [0, 1, 5, 10, 11]
        for podLimit in ["1", "2"] as [Quantity] {
            for usedCPU in [0, 5, 10] as [Int64] {
                for usedMemory in [0, 19] as [Int64] {
                    let node = NodeBuilder("n").allocatable(["cpu": "10m", "memory": "20", "pods": podLimit]).node
                    let existing = PodBuilder("existing").node("n")
                        .container(["cpu": Quantity(milli: usedCPU), "memory": Quantity(value: usedMemory)]).pod
                    let info = NodeInfo(node: node, pods: [existing])
                    for cpu in amounts {
                        for memory in amounts {
                            let request = Resource(milliCPU: cpu, memory: memory)
                            let fast = NodeResourcesFit.fitsWithoutScalars(request, node: info)
                            #expect(fast == fit.fits(request, node: info).isEmpty, "cpu \(cpu) memory \(memory)")
                        }
                    }
                }
            }
        }
    }

    @Test func fitFastPathLeavesScalarsToTheLongWay() {
        let info = NodeBuilder("n").allocatable(["cpu": "10m", "memory": "20", "pods": "32", "example.com/aaa": "5"]).info()
        let request = Resource(milliCPU: 1, scalarResources: ["example.com/aaa": 1])
        #expect(!NodeResourcesFit.fitsWithoutScalars(request, node: info))
        #expect(NodeResourcesFit().fits(request, node: info).isEmpty)
    }

    // MARK: Snapshot lists

    /// The cache's lists, kept as pods and nodes come and go, equal the lists found by looking
    /// at every node.
    @Test func cacheKeepsNodesWithAffinityPods() {
        var cache = SchedulerCache()
        func check(_ step: String) {
            let kept = cache.snapshot()
            let scanned = ClusterSnapshot(nodes: kept.nodes)
            #expect(kept.nodesWithAffinityPods.map(\.name) == scanned.nodesWithAffinityPods.map(\.name), "\(step)")
            #expect(kept.nodesWithRequiredAntiAffinityPods.map(\.name) == scanned.nodesWithRequiredAntiAffinityPods.map(\.name),
                    "\(step)")
        }
        for name in ["n1", "n2", "n3", "n4"] { cache.addOrUpdateNode(Self.hostNode(name)) }
        check("nodes only")
        cache.addOrUpdateBoundPod(Self.antiAffinityPod("a", group: "g", node: "n1").pod)
        cache.assume(Self.antiAffinityPod("b", group: "g").info, on: "n4")
        let preferred = PodBuilder("c").labels(["group": "g"])
            .podAffinity(preferred: [(10, affinityTerm(selector(["group": "g"]), "zone"))])
        cache.assume(preferred.info, on: "n3")
        cache.assume(PodBuilder("plain").info, on: "n2")
        check("pods placed")
        #expect(cache.snapshot().nodesWithRequiredAntiAffinityPods.map(\.name) == ["n1", "n4"])
        #expect(cache.snapshot().nodesWithAffinityPods.map(\.name) == ["n1", "n3", "n4"])
        cache.removeNode(named: "n1")
        check("first node removed (the last one moves into its place)")
        cache.forget(key: "default/b")
        check("assumed pod forgotten")
        cache.addOrUpdateNode(Self.hostNode("n1"))
        check("node back with its pod")
        #expect(cache.snapshot().nodesWithRequiredAntiAffinityPods.map(\.name) == ["n1"])
        cache.removePod(key: "default/a")
        cache.removePod(key: "default/c")
        check("pods deleted")
        #expect(cache.snapshot().nodesWithAffinityPods.isEmpty)
    }

    // MARK: InterPodAffinity

    @Test func interPodAffinitySkipsWhenNoPlacedPodHasRequiredAntiAffinity() {
        let plain = PodBuilder("incoming").labels(["group": "g"]).info
        let snap = snapshot([Self.hostNode("n1"), Self.hostNode("n2")], pods: [PodBuilder("other").node("n1").pod])
        let plugin = InterPodAffinity()
        #expect(plugin.preFilter(CycleState(), pod: plain, snapshot: snap) == .skip)
        #expect(plugin.preScore(CycleState(), pod: plain, nodes: snap.nodes, snapshot: snap) == .skip)
    }

    /// With placed anti-affinity pods, only their nodes are looked at, with the same verdicts.
    @Test func interPodAffinityChecksPlacedAntiAffinityPods() {
        let existing = Self.antiAffinityPod("existing", group: "g", node: "n2").pod
        let snap = snapshot([Self.hostNode("n1"), Self.hostNode("n2"), Self.hostNode("n3")], pods: [existing])
        let matching = PodBuilder("incoming").labels(["group": "g"]).pod
        #expect(runFilter(InterPodAffinity(), pod: matching, snapshot: snap)
            == [.success, .unschedulable(InterPodAffinity.errReasonExistingAntiAffinityRulesNotMatch), .success])
        let other = PodBuilder("incoming").labels(["group": "h"]).pod
        #expect(InterPodAffinity().preFilter(CycleState(), pod: PodInfo(other), snapshot: snap) == .skip)
        // The placed pod's required anti-affinity gives the incoming pod nothing to score.
        #expect(runScore(InterPodAffinity(), pod: matching, snapshot: snap) == nil)
    }

    /// Through the cache and the whole framework: required anti-affinity per hostname lets each
    /// node take one pod per group, and not one more.
    @Test func antiAffinityPodsFillEveryNodeOncePerGroup() {
        let nodes = (0..<10).map { Self.hostNode("n\($0)") }
        var bench = SchedulingCycleBench(nodes: nodes)
        let plain = (0..<5).map { PodBuilder("plain-\($0)").labels(["group": "plain"]).info }
        #expect(bench.schedule(plain) == (scheduled: 5, unschedulable: 0))
        let anti = (0..<30).map { Self.antiAffinityPod("anti-\($0)", group: "g\($0 % 3)").info }
        #expect(bench.schedule(anti) == (scheduled: 30, unschedulable: 0))
        for (node, keys) in bench.placements() {
            let groups = keys.filter { $0.hasPrefix("default/anti-") }
                .map { Int($0.dropFirst("default/anti-".count))! % 3 }
            #expect(Set(groups).count == groups.count, "\(node): \(keys)")
        }
        #expect(bench.schedule([Self.antiAffinityPod("one-too-many", group: "g1").info]) == (scheduled: 0, unschedulable: 1))
        #expect(bench.podCount == 35)
    }

    // MARK: CycleState and NodeInfo

    @Test func cycleStateSlotsAreTypedAndClonesIndependent() {
        let state = CycleState()
        let key = SchedulingFramework.skippedFiltersKey
        #expect(state.read(key) == nil)
        state.write(key, ["NodePorts"])
        let clone = state.clone()
        clone.write(key, ["NodePorts", "InterPodAffinity"])
        #expect(state.read(key) == ["NodePorts"])
        #expect(clone.read(key) == ["NodePorts", "InterPodAffinity"])
        #expect(state.read(TaintToleration.preScoreKey) == nil)
    }

    @Test func nodeInfoKeepsTheNodeFieldsPluginsRead() {
        let taint = CoreV1.Taint(effect: "NoSchedule", key: "dedicated")
        var info = NodeBuilder("n").labels(["a": "b"]).taints([taint]).unschedulable(true).info()
        #expect(info.hasNode && info.labels == ["a": "b"] && info.taints == [taint] && info.unschedulable)
        info.setNode(NodeBuilder("n").node)
        #expect(info.hasNode && info.labels.isEmpty && info.taints.isEmpty && !info.unschedulable)
        info.removeNode()
        #expect(!info.hasNode && info.node == nil && info.labels.isEmpty)
    }

    @Test func nodeInfoCountsPodsAndTotalsThroughCopies() {
        let node = NodeBuilder("n").allocatable(["cpu": "4", "memory": "8Gi", "pods": "110", "example.com/gpu": "2"])
        var info = node.info([PodBuilder("a").container(["cpu": "1", "memory": "1Gi"]).pod])
        let before = info
        info.add(PodInfo(PodBuilder("b").container(["cpu": "500m", "example.com/gpu": "1"]).pod))
        #expect(info.podCount == 2 && info.podCount == info.pods.count)
        #expect(before.podCount == 1 && before.requestedCounts.milliCPU == 1000)
        #expect(info.requestedCounts == Resource.Counts(milliCPU: 1500, memory: 1 << 30, ephemeralStorage: 0, allowedPodNumber: 0))
        #expect(info.requested.scalarResources == ["example.com/gpu": 1])
        #expect(info.allocatableCounts == info.allocatable.counts && info.allocatableCounts.allowedPodNumber == 110)
        #expect(info.nonZeroRequestedCounts == info.nonZeroRequested.counts)
        let removed = info.remove(key: "default/a")
        #expect(removed && info.podCount == 1 && info.pods.map(\.key) == ["default/b"])
        let again = info.remove(key: "default/a")
        #expect(!again && info.podCount == 1)
    }
}
