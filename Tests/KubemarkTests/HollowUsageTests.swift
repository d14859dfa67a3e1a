import KubeModel
import Testing
@testable import Kubemark

struct HollowUsageAnnotationTests {
    static let defaults = HollowResourceUsage(cpu: Quantity(milli: 10), memory: Quantity.mustParse("16Mi"))

    static func pod(_ annotation: String?, containers: [String] = ["app", "side"]) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = "p"
        if let annotation { pod.metadata.annotations = [HollowUsageAnnotation.key: annotation] }
        pod.spec.containers = containers.map { CoreV1.Container(name: $0) }
        return pod
    }

    static func usage(_ cpuMilli: Int64, _ memoryMi: Int64) -> HollowResourceUsage {
        HollowResourceUsage(cpuNanoCores: cpuMilli * 1_000_000, memoryBytes: memoryMi << 20)
    }

    @Test(arguments: [
        (nil, ["app": usage(10, 16), "side": usage(10, 16)]),
        ("cpu=250m,memory=64Mi", ["app": usage(250, 64), "side": usage(250, 64)]),
        ("cpu=250m", ["app": usage(250, 16), "side": usage(250, 16)]),
        ("side:cpu=5m", ["app": usage(10, 16), "side": usage(5, 16)]),
        // A container's own entry wins over the pod-wide one, whatever the order.
        ("side:memory=1Mi, memory=32Mi", ["app": usage(10, 32), "side": usage(10, 1)]),
        ("cpu=1", ["app": usage(1000, 16), "side": usage(1000, 16)]),
        // Malformed: the defaults apply.
        ("cpu=lots", ["app": usage(10, 16), "side": usage(10, 16)]),
        ("disk=1Gi", ["app": usage(10, 16), "side": usage(10, 16)]),
    ] as [(String?, [String: HollowResourceUsage])])
    func usageOfEachContainer(_ annotation: String?, _ expected: [String: HollowResourceUsage]) {
        #expect(HollowUsageAnnotation.usage(of: Self.pod(annotation), defaults: Self.defaults) == expected)
    }

    @Test(arguments: ["cpu", "cpu=-1", "gpu=1", "memory=1Qi"])
    func rejects(_ text: String) {
        #expect(throws: HollowUsageAnnotation.InvalidValue.self) { try HollowUsageAnnotation.parse(text) }
    }
}

struct HollowUsageCountersTests {
    static let start: Int64 = 1_700_000_000_000

    static func runningPod(_ name: String, uid: String, startedAt seconds: Int64, annotation: String? = nil) -> CoreV1.Pod {
        var pod = HollowUsageAnnotationTests.pod(annotation, containers: ["app"])
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.metadata.uid = uid
        pod.status = HollowPodStatus.running(pod, hostIP: "127.64.0.1", podIP: "10.128.0.2",
                                             now: MetaV1.Time(secondsSinceEpoch: seconds))
        return pod
    }

    @Test func countersGrowAtTheConfiguredRate() throws {
        let counters = HollowUsageCounters(
            podDefault: HollowUsageAnnotationTests.defaults, nodeBase: HollowResourceUsage.defaultNodeBase, startMillis: Self.start)
        let pods = [
            Self.runningPod("a", uid: "u1", startedAt: Self.start / 1000),
            Self.runningPod("b", uid: "u2", startedAt: Self.start / 1000, annotation: "cpu=250m,memory=64Mi"),
        ]
        let first = counters.sample(node: 0, pods: pods, nowMillis: Self.start + 10_000)
        let second = counters.sample(node: 0, pods: pods, nowMillis: Self.start + 12_000)
        let a1 = try #require(first.containers.first { $0.pod == "a" }), a2 = try #require(second.containers.first { $0.pod == "a" })
        let b1 = try #require(first.containers.first { $0.pod == "b" }), b2 = try #require(second.containers.first { $0.pod == "b" })
        #expect(a1.cpuSeconds == 0.1 && (a2.cpuSeconds - a1.cpuSeconds - 0.02).magnitude < 1e-12)
        #expect((b2.cpuSeconds - b1.cpuSeconds - 0.5).magnitude < 1e-12)
        #expect(b2.memoryBytes == 64 << 20)
        // The node: 50m of its own plus 10m and 250m of its pods; 256Mi + 16Mi + 64Mi.
        #expect((second.nodeCPUSeconds - first.nodeCPUSeconds - 0.62).magnitude < 1e-12)
        #expect(second.nodeMemoryBytes == (256 + 16 + 64) << 20)
        #expect(second.timestampMillis == Self.start + 12_000)
    }

    @Test func aDeletedPodDoesNotTurnTheNodeCounterBack() {
        let counters = HollowUsageCounters(
            podDefault: HollowUsageAnnotationTests.defaults, nodeBase: .zero, startMillis: Self.start)
        let pod = Self.runningPod("a", uid: "u1", startedAt: Self.start / 1000)
        let first = counters.sample(node: 0, pods: [pod], nowMillis: Self.start + 10_000)
        let second = counters.sample(node: 0, pods: [], nowMillis: Self.start + 20_000)
        #expect(second.nodeCPUSeconds == first.nodeCPUSeconds)
        #expect(second.containers.isEmpty)
    }

    @Test func pendingPodsDoNotCount() {
        let counters = HollowUsageCounters(podDefault: HollowUsageAnnotationTests.defaults, nodeBase: .zero, startMillis: Self.start)
        var pod = HollowUsageAnnotationTests.pod(nil)
        pod.status.phase = "Pending"
        #expect(counters.sample(node: 0, pods: [pod], nowMillis: Self.start + 1_000).containers.isEmpty)
    }
}

struct HollowNodeAddressTests {
    @Test(arguments: [("127.64.0.1", 0), ("127.64.0.2", 1), ("127.64.1.0", 255), ("127.64.128.0", 32_767)] as [(String, Int)])
    func indexOfInternalIP(_ address: String, _ index: Int) {
        #expect(HollowNodeIdentity.index(ofInternalIP: address) == index)
        #expect(HollowNodeIdentity(index: index, name: "n").internalIP == address)
    }

    @Test(arguments: ["127.0.0.1", "127.64.0.0", "127.64.128.1", "10.64.0.1", "nonsense"])
    func addressesOutsideTheFleet(_ address: String) {
        #expect(HollowNodeIdentity.index(ofInternalIP: address) == nil)
    }
}
