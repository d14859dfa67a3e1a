import KubeModel
import Synchronization

/// Every node of the fleet: the fixed identities, looked up by index or name, and what each
/// node has learnt from the API server — its UID, its pod network, its last Lease.
final class FleetNodeTable: Sendable {
    struct Record: Sendable {
        var uid: String?
        /// `spec.podCIDR` when the node has one, else the identity's synthetic /24.
        var podNetwork: IPv4Network
        /// The Lease as last written (renewals update it without reading it first, as kubelet).
        var lease: CoordinationV1.Lease?
        var registered = false
    }

    let identities: [HollowNodeIdentity]
    private let indexByName: [String: Int]
    private let records: Mutex<[Record]>

    init(configuration: HollowNodeConfiguration) {
        identities = (0..<configuration.count).map { HollowNodeIdentity(index: $0, name: configuration.nodeName(at: $0)) }
        indexByName = Dictionary(uniqueKeysWithValues: identities.map { ($0.name, $0.index) })
        records = Mutex(identities.map { Record(podNetwork: $0.defaultPodNetwork) })
    }

    var count: Int { identities.count }

    /// The index of the fleet node called `name`; nil for any other node.
    func index(of name: String) -> Int? { indexByName[name] }

    func contains(_ name: String) -> Bool { indexByName[name] != nil }

    func record(_ index: Int) -> Record { records.withLock { $0[index] } }

    func update(_ index: Int, _ body: (inout Record) -> Void) {
        records.withLock { body(&$0[index]) }
    }

    /// Notes what the API server says about the node: its UID and pod network.
    func observe(_ node: CoreV1.Node, at index: Int) {
        let network = node.spec.podCIDR.flatMap { IPv4Network(cidr: $0) } ?? identities[index].defaultPodNetwork
        records.withLock { records in
            records[index].uid = node.metadata.uid ?? records[index].uid
            records[index].podNetwork = network
        }
    }

    var registeredCount: Int { records.withLock { $0.reduce(0) { $0 + ($1.registered ? 1 : 0) } } }
}
