import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct NodeIPAMControllerTests {
    static func node(_ name: String, podCIDR: String? = nil) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        if let podCIDR {
            node.spec.podCIDR = podCIDR
            node.spec.podCIDRs = [podCIDR]
        }
        return node
    }

    static func harness(cidr: String, mask: Int, nodes: [CoreV1.Node]) -> (ControllerTestHarness, NodeIPAMController) {
        let harness = ControllerTestHarness(objects: nodes)
        var configuration = ControllerManager.Configuration()
        configuration.clusterCIDR = cidr
        configuration.nodeCIDRMaskSize = mask
        let context = ControllerContext(informers: harness.informers, client: harness.client, events: harness.events,
                                        logger: harness.context.logger, configuration: configuration)
        let controller = NodeIPAMController(context: context)
        for node in nodes { harness.cache(node) }
        return (harness, controller)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var clusterCIDR: String
        var mask: Int
        var existing: [String]
        var expected: String?
        var testDescription: String { label }
    }

    // upstream range_allocator_test.go TestAllocateOrOccupyCIDRSuccess / Failure cases.
    static let cases: [Case] = [
        Case(label: "first CIDR in range", clusterCIDR: "127.123.234.0/24", mask: 30, existing: [], expected: "127.123.234.0/30"),
        Case(label: "already allocated CIDRs are skipped", clusterCIDR: "127.123.234.0/24", mask: 30,
             existing: ["127.123.234.0/30", "127.123.234.4/30", "127.123.234.8/30", "127.123.234.16/30"],
             expected: "127.123.234.12/30"),
        Case(label: "skiff's default: /24 of 10.42.0.0/16", clusterCIDR: "10.42.0.0/16", mask: 24, existing: [],
             expected: "10.42.0.0/24"),
        Case(label: "no CIDRs left", clusterCIDR: "127.123.234.0/28", mask: 30,
             existing: ["127.123.234.0/30", "127.123.234.4/30", "127.123.234.8/30", "127.123.234.12/30"], expected: nil),
    ]

    @Test(arguments: cases)
    func allocatesTheNextFreeRange(_ testCase: Case) async throws {
        let nodes = testCase.existing.enumerated().map { Self.node("old-\($0.offset)", podCIDR: $0.element) } + [Self.node("new")]
        let (harness, controller) = Self.harness(cidr: testCase.clusterCIDR, mask: testCase.mask, nodes: nodes)
        try await controller.reconcile("new")
        let node = try #require(harness.client.object(CoreV1.Node.self, name: "new"))
        #expect(node.spec.podCIDR == testCase.expected)
        if let expected = testCase.expected {
            #expect(node.spec.podCIDRs == [expected])
        } else {
            #expect(harness.events.events.map(\.description) == ["Normal CIDRNotAvailable Node new status is now: CIDRNotAvailable"])
        }
    }

    @Test func aDeletedNodesRangeIsReleasedAndReusedAfterTheOthers() async throws {
        let (harness, controller) = Self.harness(cidr: "10.0.0.0/29", mask: 30, nodes: [Self.node("a"), Self.node("b")])
        try await controller.reconcile("a")
        try await controller.reconcile("b")
        #expect(harness.client.object(CoreV1.Node.self, name: "a")?.spec.podCIDR == "10.0.0.0/30")
        #expect(harness.client.object(CoreV1.Node.self, name: "b")?.spec.podCIDR == "10.0.0.4/30")
        // The cluster is full; deleting `a` frees its range for the next node.
        harness.informers.informer(CoreV1.Node.self).indexer.delete(key: "a")
        try await controller.reconcile("a")
        harness.client.seed(Self.node("c"))
        harness.cache(Self.node("c"))
        try await controller.reconcile("c")
        #expect(harness.client.object(CoreV1.Node.self, name: "c")?.spec.podCIDR == "10.0.0.0/30")
    }

    @Test func aNodeWithARangeKeepsIt() async throws {
        let (harness, controller) = Self.harness(cidr: "10.42.0.0/16", mask: 24, nodes: [Self.node("a", podCIDR: "10.42.7.0/24")])
        try await controller.reconcile("a")
        #expect(harness.client.writes.isEmpty)
    }

    @Test func theSetSkipsARecentlyReleasedRange() throws {
        var set = try #require(PodCIDRSet(cidr: "10.42.0.0/16", subnetPrefix: 24))
        #expect(set.count == 256)
        #expect(set.allocateNext() == "10.42.0.0/24")
        #expect(set.allocateNext() == "10.42.1.0/24")
        set.release("10.42.0.0/24")
        #expect(set.allocateNext() == "10.42.2.0/24")
        let outside = set.occupy("10.43.0.0/24")
        #expect(!outside)
        #expect(PodCIDRSet(cidr: "10.42.0.0/24", subnetPrefix: 16) == nil)
    }
}
