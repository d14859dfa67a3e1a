import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

@Suite struct ServiceAllocatorTests {
    @Test func networkRange() throws {
        let network = try #require(ServiceNetwork(cidr: "10.43.0.0/16"))
        #expect(network.firstAddress == "10.43.0.1" && network.hostCount == 65534)
        #expect(network.contains("10.43.255.254") && !network.contains("10.43.255.255") && !network.contains("10.44.0.1"))
        #expect(ServiceNetwork(cidr: "10.43.0.7/24")?.cidr == "10.43.0.0/24")
        #expect(ServiceNetwork(cidr: "nonsense") == nil)
    }

    @Test func allocatesEachAddressOnceAndReleases() async throws {
        let store = InMemoryStore()
        let allocator = ServiceAllocator(store: store, network: try #require(ServiceNetwork(cidr: "10.0.0.0/29")))
        var seen = Set<String>()
        // /29: hosts .1–.6; .1 is the kubernetes service's, so five are handed out at random.
        for i in 0..<5 { seen.insert(try await allocator.allocateIP(nil, namespace: "default", name: "s\(i)")) }
        #expect(seen == ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"])
        await #expect(throws: ServiceAllocator.Failure.rangeFull) { try await allocator.allocateIP(nil, namespace: "default", name: "x") }
        await #expect(throws: ServiceAllocator.Failure.alreadyAllocated("10.0.0.3")) {
            try await allocator.allocateIP("10.0.0.3", namespace: "default", name: "x")
        }
        await #expect(throws: ServiceAllocator.Failure.notInRange("10.1.0.3")) {
            try await allocator.allocateIP("10.1.0.3", namespace: "default", name: "x")
        }
        try await allocator.releaseIP("10.0.0.3")
        #expect(try await allocator.allocateIP(nil, namespace: "default", name: "y") == "10.0.0.3")
        let stored = try #require(try await store.get(ServiceAllocator.ipAddressPrefix + "10.0.0.3"))
        let object = try JSONDecoder().decode(NetworkingV1.IPAddress.self, from: Data(stored.value))
        #expect(object.spec.parentRef.name == "y" && object.spec.parentRef.resource == "services")
    }

    @Test func nodePorts() async throws {
        let store = InMemoryStore()
        let allocator = ServiceAllocator(store: store, network: try #require(ServiceNetwork(cidr: "10.0.0.0/24", nodePorts: 30000...30002)))
        var ports = Set<Int32>()
        for i in 0..<3 { ports.insert(try await allocator.allocateNodePort(nil, namespace: "default", name: "s\(i)")) }
        #expect(ports == [30000, 30001, 30002])
        await #expect(throws: ServiceAllocator.Failure.nodePortRangeFull) { try await allocator.allocateNodePort(nil, namespace: "d", name: "x") }
        await #expect(throws: ServiceAllocator.Failure.nodePortNotInRange(80)) { try await allocator.allocateNodePort(80, namespace: "d", name: "x") }
    }
}
