import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct EndpointSliceControllerTests {
    typealias F = EndpointFixtures

    static func zonedNode(_ name: String, zone: String) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        node.metadata.labels = ["topology.kubernetes.io/zone": zone]
        return node
    }

    static func endpoint(_ n: Int) -> DiscoveryV1.Endpoint {
        DiscoveryV1.Endpoint(addresses: ["10.0.\(n / 250).\(n % 250)"],
                             conditions: DiscoveryV1.EndpointConditions(ready: true, serving: true, terminating: false),
                             targetRef: CoreV1.ObjectReference(kind: "Pod", name: "pod-\(n)", namespace: "ns", uid: "uid-\(n)"))
    }

    static let port = [DiscoveryV1.EndpointPort(name: "http", port: 8080, protocol: "TCP")]

    static func slice(_ name: String, _ range: Range<Int>, ports: [DiscoveryV1.EndpointPort] = port) -> DiscoveryV1.EndpointSlice {
        var slice = EndpointSliceController.template(for: F.service())
        slice.metadata.name = name
        slice.ports = ports
        slice.endpoints = range.map(endpoint)
        return slice
    }

    struct PlanCase: Sendable, CustomTestStringConvertible {
        var label: String
        var desired: [Int]
        var existing: [DiscoveryV1.EndpointSlice]
        /// Sizes of created slices, names (and sizes) of updated slices, names of deleted slices.
        var creates: [Int]
        var updates: [String: Int]
        var deletes: [String]
        var testDescription: String { label }
    }

    // upstream endpointslice reconciler_test.go's cases (TestReconcile*).
    static let planCases: [PlanCase] = [
        PlanCase(label: "no pods: one placeholder slice", desired: [], existing: [], creates: [0], updates: [:], deletes: []),
        PlanCase(label: "no pods, placeholder exists: nothing to do", desired: [],
                 existing: [slice("ph", 0..<0, ports: [])], creates: [], updates: [:], deletes: []),
        PlanCase(label: "250 pods: 3 new slices", desired: Array(0..<250), existing: [],
                 creates: [100, 100, 50], updates: [:], deletes: []),
        PlanCase(label: "first pod replaces the placeholder", desired: [0],
                 existing: [slice("ph", 0..<0, ports: [])], creates: [], updates: ["ph": 1], deletes: []),
        PlanCase(label: "unchanged slice is left alone", desired: Array(0..<10),
                 existing: [slice("s1", 0..<10)], creates: [], updates: [:], deletes: []),
        PlanCase(label: "a removed endpoint updates its slice", desired: Array(0..<9),
                 existing: [slice("s1", 0..<10)], creates: [], updates: ["s1": 9], deletes: []),
        PlanCase(label: "new endpoints fill an existing slice with room", desired: Array(0..<15),
                 existing: [slice("s1", 0..<10)], creates: [], updates: ["s1": 15], deletes: []),
        PlanCase(label: "new endpoints go into a slice being updated first", desired: Array(1..<10) + Array(100..<105),
                 existing: [slice("s1", 0..<10), slice("s2", 10..<20)], creates: [], updates: ["s1": 14], deletes: ["s2"]),
        PlanCase(label: "full slices: new endpoints get a new slice", desired: Array(0..<105),
                 existing: [slice("s1", 0..<100)], creates: [5], updates: [:], deletes: []),
        PlanCase(label: "a slice of a port set no longer used is deleted", desired: Array(0..<3),
                 existing: [slice("old", 0..<3, ports: [DiscoveryV1.EndpointPort(name: "http", port: 9090, protocol: "TCP")])],
                 creates: [], updates: ["old": 3], deletes: []),
    ]

    @Test(arguments: planCases)
    func planner(_ testCase: PlanCase) {
        let planner = EndpointSlicePlanner(template: EndpointSliceController.template(for: F.service()))
        let desired = testCase.desired.isEmpty ? [] : [EndpointSlicePlanner.Group(ports: Self.port, endpoints: testCase.desired.map(Self.endpoint))]
        let plan = planner.plan(desired: desired, existing: testCase.existing)
        #expect(plan.creates.map { ($0.endpoints ?? []).count } == testCase.creates)
        #expect(Dictionary(uniqueKeysWithValues: plan.updates.map { ($0.metadata.name ?? "", ($0.endpoints ?? []).count) }) == testCase.updates)
        #expect(plan.deletes.map { $0.metadata.name ?? "" }.sorted() == testCase.deletes)
    }

    @Test func aServiceGetsASliceOfItsPods() async throws {
        let harness = ControllerTestHarness()
        let controller = EndpointSliceController(context: harness.context)
        harness.cache(F.service(clusterIP: "None", labels: ["team": "a"]))
        harness.cache(Self.zonedNode("node-1", zone: "zone-a"))
        harness.cache(F.pod("a", ip: "1.2.3.4"), F.pod("b", ip: "1.2.3.5", ready: false),
                      F.pod("c", ip: "1.2.3.6", terminating: true), F.pod("d", ip: "1.2.3.7", hostname: "d", subdomain: "foo"))
        try await controller.reconcile("ns/foo")
        #expect(harness.client.writes.map(\.verb) == ["create"])
        let slice = try #require(harness.client.objects(DiscoveryV1.EndpointSlice.self).first)
        #expect(slice.metadata.generateName == "foo-")
        #expect(slice.addressType == "IPv4")
        #expect(slice.metadata.labels == [
            "team": "a", "kubernetes.io/service-name": "foo", "service.kubernetes.io/headless": "",
            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        ])
        #expect(slice.metadata.ownerReferences?.first?.kind == "Service")
        #expect(slice.metadata.ownerReferences?.first?.uid == "uid-svc-foo")
        #expect(slice.metadata.annotations?["endpoints.kubernetes.io/last-change-trigger-time"] != nil)
        #expect(slice.ports == [DiscoveryV1.EndpointPort(name: "http", port: 8080, protocol: "TCP")])
        let byName = Dictionary(uniqueKeysWithValues: (slice.endpoints ?? []).map { ($0.targetRef?.name ?? "", $0) })
        #expect(byName.keys.sorted() == ["a", "b", "c", "d"])
        #expect(byName["a"]?.conditions == DiscoveryV1.EndpointConditions(ready: true, serving: true, terminating: false))
        #expect(byName["b"]?.conditions == DiscoveryV1.EndpointConditions(ready: false, serving: false, terminating: false))
        #expect(byName["c"]?.conditions == DiscoveryV1.EndpointConditions(ready: false, serving: true, terminating: true))
        #expect(byName["a"]?.addresses == ["1.2.3.4"])
        #expect(byName["a"]?.nodeName == "node-1")
        #expect(byName["a"]?.zone == "zone-a")
        #expect(byName["a"]?.hostname == nil)
        #expect(byName["d"]?.hostname == "d")
    }

    @Test func aStaleCacheIsWaitedFor() async throws {
        let harness = ControllerTestHarness()
        let controller = EndpointSliceController(context: harness.context)
        harness.cache(F.service())
        harness.cache(Self.zonedNode("node-1", zone: "zone-a"))
        harness.cache(F.pod("a", ip: "1.2.3.4"))
        try await controller.reconcile("ns/foo")
        // The cache has not seen the new slice yet: no second slice is made.
        await #expect(throws: RequeueAfter.self) { try await controller.reconcile("ns/foo") }
        let created = try #require(harness.client.objects(DiscoveryV1.EndpointSlice.self).first)
        harness.cache(created)
        try await controller.reconcile("ns/foo")
        #expect(harness.client.writes.map(\.verb) == ["create"])
    }

    @Test func servicesWithoutSelectorAreLeftAloneAndGoneServicesLoseTheirSlices() async throws {
        let harness = ControllerTestHarness()
        let controller = EndpointSliceController(context: harness.context)
        harness.cache(F.service(selector: nil))
        try await controller.reconcile("ns/foo")
        #expect(harness.client.writes.isEmpty)
        let orphan = Self.slice("foo-abcde", 0..<1)
        harness.client.seed(orphan)
        harness.informers.informer(CoreV1.Service.self).indexer.delete(key: "ns/foo")
        harness.cache(orphan)
        try await controller.reconcile("ns/foo")
        #expect(harness.client.writes.map(\.description) == ["delete EndpointSlice ns/foo-abcde"])
    }
}
