import Synchronization

/// Pod IPs of every fleet node (a host-local IPAM): each pod gets a free address of its node's
/// pod network and keeps it until it is released. Addresses of pods found already running (a
/// restarted fleet) are recorded first so that they are not handed out twice.
final class PodAddressPool: Sendable {
    private struct NodeAddresses {
        var used: Set<UInt32> = []
        /// Where the next search starts (next-fit), so allocation does not rescan used addresses.
        var cursor = 0
    }

    private struct State {
        var byPod: [String: (node: Int, address: UInt32)] = [:]
        var nodes: [Int: NodeAddresses] = [:]
        /// Nodes whose running pods' addresses were recorded (``primes(node:)``).
        var primed: Set<Int> = []
    }

    private let state = Mutex(State())

    /// The address of pod `key` on `node`: the one it already has, else a free one of `network`;
    /// nil when the network is full.
    func address(forPod key: String, node: Int, network: IPv4Network) -> String? {
        state.withLock { state -> String? in
            if let assigned = state.byPod[key], assigned.node == node { return IPv4Network.format(assigned.address) }
            Self.release(key, in: &state)
            var addresses = state.nodes[node] ?? NodeAddresses()
            let count = network.podAddressCount
            for step in 0..<count {
                let offset = (addresses.cursor + step) % count
                let candidate = network.podAddress(offset)
                if addresses.used.insert(candidate).inserted {
                    addresses.cursor = (offset + 1) % count
                    state.nodes[node] = addresses
                    state.byPod[key] = (node, candidate)
                    return IPv4Network.format(candidate)
                }
            }
            return nil
        }
    }

    /// Notes that pod `key` on `node` already has `address` (from its status).
    func record(pod key: String, node: Int, address: String) {
        guard let value = IPv4Network.parseAddress(Substring(address)) else { return }
        state.withLock { state in
            if let assigned = state.byPod[key], assigned.node == node, assigned.address == value { return }
            Self.release(key, in: &state)
            state.byPod[key] = (node, value)
            state.nodes[node, default: NodeAddresses()].used.insert(value)
        }
    }

    /// True the first time it is asked about `node`: the caller then records the addresses of
    /// the pods already running there, before the node's first new pod gets one. Later pods
    /// of the node get their addresses here, so the node needs no second look.
    func primes(node: Int) -> Bool {
        state.withLock { $0.primed.insert(node).inserted }
    }

    /// Frees the address of pod `key` (it was deleted).
    func release(pod key: String) {
        state.withLock { Self.release(key, in: &$0) }
    }

    var assignedCount: Int { state.withLock { $0.byPod.count } }

    private static func release(_ key: String, in state: inout State) {
        guard let assigned = state.byPod.removeValue(forKey: key) else { return }
        state.nodes[assigned.node]?.used.remove(assigned.address)
    }
}
