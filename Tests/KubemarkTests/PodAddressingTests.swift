import Testing
@testable import Kubemark

@Suite struct PodAddressingTests {
    @Test(arguments: [
        ("10.128.0.0/24", "10.128.0.0/24", 253),
        ("10.244.1.7/24", "10.244.1.0/24", 253),
        ("10.0.0.0/16", "10.0.0.0/16", 65533),
        ("192.168.0.0/30", "192.168.0.0/30", 1),
    ])
    func parsesNetworks(cidr: String, canonical: String, podAddresses: Int) throws {
        let network = try #require(IPv4Network(cidr: cidr))
        #expect(network.description == canonical)
        #expect(network.podAddressCount == podAddresses)
    }

    @Test(arguments: ["10.0.0.0", "10.0.0/24", "10.0.0.256/24", "10.0.0.0/33", "fd00::/64", "a.b.c.d/8"])
    func rejectsMalformedNetworks(cidr: String) {
        #expect(IPv4Network(cidr: cidr) == nil)
    }

    @Test func poolHandsOutEachAddressOnce() throws {
        let pool = PodAddressPool()
        let network = try #require(IPv4Network(cidr: "10.128.5.0/29"))  // 5 pod addresses: .2 … .6
        pool.record(pod: "ns/old", node: 0, address: "10.128.5.3")
        var seen: Set<String> = ["10.128.5.3"]
        for index in 0..<4 {
            let address = try #require(pool.address(forPod: "ns/p\(index)", node: 0, network: network))
            #expect(seen.insert(address).inserted)
        }
        #expect(pool.address(forPod: "ns/p0", node: 0, network: network) == "10.128.5.2")
        #expect(pool.address(forPod: "ns/full", node: 0, network: network) == nil)
        // Another node has its own addresses.
        #expect(pool.address(forPod: "ns/other", node: 1, network: network) == "10.128.5.2")
        pool.release(pod: "ns/p1")
        #expect(pool.address(forPod: "ns/full", node: 0, network: network) == "10.128.5.4")
        #expect(pool.assignedCount == 6)
    }

    /// A node's running pods are looked at once, before its first new pod gets an address.
    @Test func eachNodeIsPrimedOnce() {
        let pool = PodAddressPool()
        #expect(pool.primes(node: 0))
        #expect(!pool.primes(node: 0))
        #expect(pool.primes(node: 1))
        #expect(!pool.primes(node: 1))
    }
}
