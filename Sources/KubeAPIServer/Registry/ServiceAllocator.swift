import Foundation
import KubeModel
import KubeStore

/// Hands out service cluster IPs and node ports, each exactly once, through the store: a cluster
/// IP is an `IPAddress` object (`networking.k8s.io/v1`, named by the address, its parentRef the
/// service) as upstream's allocator keeps them; a node port is a key under
/// `/registry/ranges/servicenodeports/`. Creating the key is the allocation (it fails when the
/// key exists), deleting it the release; `repair` reconciles both with the services after a crash.
struct ServiceAllocator: Sendable {
    let store: any KeyValueStore
    let network: ServiceNetwork

    static let ipAddressPrefix = "/registry/networking.k8s.io/ipaddresses/"
    static let nodePortPrefix = "/registry/ranges/servicenodeports/"
    static let managedByLabel = "ipaddress.kubernetes.io/managed-by"

    enum Failure: Error, Equatable {
        case notInRange(String)
        case alreadyAllocated(String)
        case rangeFull
        case nodePortNotInRange(Int32)
        case nodePortAllocated(Int32)
        case nodePortRangeFull
    }

    // MARK: Cluster IPs

    /// Allocates `requested` (or a free random address) for the service `namespace/name`.
    func allocateIP(_ requested: String?, namespace: String, name: String) async throws -> String {
        if let requested, !requested.isEmpty {
            guard network.contains(requested) else { throw Failure.notInRange(requested) }
            guard try await claimIP(requested, namespace: namespace, name: name) else { throw Failure.alreadyAllocated(requested) }
            return requested
        }
        let count = network.hostCount
        // The first address belongs to the `kubernetes` service.
        let start = UInt32.random(in: 2...max(2, count))
        for step in 0..<count {
            let offset = (start - 2 + step) % max(1, count - 1) + 2
            let ip = network.address(at: offset)
            if try await claimIP(ip, namespace: namespace, name: name) { return ip }
        }
        throw Failure.rangeFull
    }

    private func claimIP(_ ip: String, namespace: String, name: String) async throws -> Bool {
        let object = NetworkingV1.IPAddress(
            apiVersion: "networking.k8s.io/v1", kind: "IPAddress",
            metadata: MetaV1.ObjectMeta(
                creationTimestamp: MetaV1.Time.now(), generation: 1,
                labels: ["ipaddress.kubernetes.io/ip-family": "IPv4", Self.managedByLabel: "ipallocator.k8s.io"],
                name: ip, uid: UUID().uuidString.lowercased()),
            spec: NetworkingV1.IPAddressSpec(parentRef: NetworkingV1.ParentReference(
                group: "", name: name, namespace: namespace, resource: "services")))
        let bytes = Array(try ResourceRegistry.encoder.encode(object))
        return try await store.create(Self.ipAddressPrefix + ip, bytes).succeeded
    }

    func releaseIP(_ ip: String) async throws {
        guard !ip.isEmpty, ip != "None" else { return }
        _ = try await store.delete(.key(Self.ipAddressPrefix + ip))
    }

    // MARK: Node ports

    func allocateNodePort(_ requested: Int32?, namespace: String, name: String) async throws -> Int32 {
        if let requested, requested != 0 {
            guard network.nodePorts.contains(requested) else { throw Failure.nodePortNotInRange(requested) }
            guard try await claimNodePort(requested, namespace: namespace, name: name) else { throw Failure.nodePortAllocated(requested) }
            return requested
        }
        let lower = network.nodePorts.lowerBound
        let size = Int32(network.nodePorts.count)
        let start = Int32.random(in: 0..<size)
        for step in 0..<size {
            let port = lower + (start + step) % size
            if try await claimNodePort(port, namespace: namespace, name: name) { return port }
        }
        throw Failure.nodePortRangeFull
    }

    private func claimNodePort(_ port: Int32, namespace: String, name: String) async throws -> Bool {
        try await store.create(Self.nodePortPrefix + String(port), Array("\(namespace)/\(name)".utf8)).succeeded
    }

    func releaseNodePort(_ port: Int32) async throws {
        guard port != 0 else { return }
        _ = try await store.delete(.key(Self.nodePortPrefix + String(port)))
    }

    // MARK: Services

    /// Assigns what a new service needs: a cluster IP (unless headless or ExternalName) and node
    /// ports (NodePort and LoadBalancer). On failure nothing stays allocated.
    func allocate(_ service: inout CoreV1.Service) async throws {
        let namespace = service.metadata.namespace ?? ""
        let name = service.metadata.name ?? ""
        let type = service.spec.type ?? "ClusterIP"
        var claimedIP: String?
        var claimedPorts: [Int32] = []
        do {
            if type != "ExternalName" && service.spec.clusterIP != "None" {
                let ip = try await allocateIP(service.spec.clusterIP, namespace: namespace, name: name)
                claimedIP = ip
                service.spec.clusterIP = ip
                service.spec.clusterIPs = [ip]
            } else if service.spec.clusterIP == "None" {
                service.spec.clusterIPs = ["None"]
            }
            if type != "ExternalName" {
                service.spec.ipFamilies = ["IPv4"]
                service.spec.ipFamilyPolicy = service.spec.ipFamilyPolicy ?? "SingleStack"
            }
            if type == "NodePort" || (type == "LoadBalancer" && service.spec.allocateLoadBalancerNodePorts != false) {
                if var ports = service.spec.ports {
                    for i in ports.indices {
                        let port = try await allocateNodePort(ports[i].nodePort, namespace: namespace, name: name)
                        claimedPorts.append(port)
                        ports[i].nodePort = port
                    }
                    service.spec.ports = ports
                }
            }
        } catch {
            if let claimedIP { try? await releaseIP(claimedIP) }
            for port in claimedPorts { try? await releaseNodePort(port) }
            throw error
        }
    }

    /// Releases everything a deleted service held.
    func release(_ service: CoreV1.Service) async throws {
        try await releaseIP(service.spec.clusterIP ?? "")
        for port in service.spec.ports ?? [] { try await releaseNodePort(port.nodePort ?? 0) }
    }

    /// Allocations for the node ports an update adds, releases for those it drops.
    func reconcileNodePorts(_ service: inout CoreV1.Service, old: CoreV1.Service) async throws {
        let namespace = service.metadata.namespace ?? ""
        let name = service.metadata.name ?? ""
        let type = service.spec.type ?? "ClusterIP"
        let wantsNodePorts = type == "NodePort" || (type == "LoadBalancer" && service.spec.allocateLoadBalancerNodePorts != false)
        let oldPorts = Set((old.spec.ports ?? []).compactMap(\.nodePort).filter { $0 != 0 })
        var kept = Set<Int32>()
        if wantsNodePorts, var ports = service.spec.ports {
            for i in ports.indices {
                if let port = ports[i].nodePort, port != 0, oldPorts.contains(port) {
                    kept.insert(port)
                    continue
                }
                ports[i].nodePort = try await allocateNodePort(ports[i].nodePort, namespace: namespace, name: name)
            }
            service.spec.ports = ports
        } else if var ports = service.spec.ports {
            for i in ports.indices { ports[i].nodePort = nil }
            service.spec.ports = ports
        }
        for port in oldPorts.subtracting(kept) { try await releaseNodePort(port) }
    }
}
