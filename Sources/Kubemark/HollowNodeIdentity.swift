/// The synthetic facts of one hollow node that stay the same across restarts of the fleet: its
/// name, its InternalIP and the /24 its pods get addresses from unless the node's
/// `spec.podCIDR` says otherwise, and the machine IDs its nodeInfo reports. All derive from the
/// node's index, so they are unique within a fleet.
public struct HollowNodeIdentity: Sendable, Hashable {
    public let index: Int
    public let name: String
    /// In 127.64.0.0/10: 127.64.0.1 for node 0, 127.64.0.2 for node 1, … Loopback addresses (Linux
    /// routes all of 127.0.0.0/8 to `lo`), so that the fleet's one stats listener is reachable at
    /// every node's address and tells the nodes apart by the address a connection came to.
    public let internalIP: String
    /// In 10.128.0.0/9: 10.128.0.0/24 for node 0, 10.128.1.0/24 for node 1, …
    public let defaultPodNetwork: IPv4Network

    static let nodeAddressBase: UInt32 = 127 << 24 | 64 << 16
    static let podNetworkBase: UInt32 = 10 << 24 | 128 << 16

    public init(index: Int, name: String) {
        precondition(index >= 0 && index < HollowNodeConfiguration.maximumCount)
        self.index = index
        self.name = name
        internalIP = IPv4Network.format(Self.nodeAddressBase + UInt32(index + 1))
        defaultPodNetwork = IPv4Network(base: Self.podNetworkBase + UInt32(index) << 8, prefixLength: 24)
    }

    /// The index of the node whose InternalIP is `address` (`a.b.c.d`); nil outside the fleet's range.
    public static func index(ofInternalIP address: String) -> Int? {
        guard let value = IPv4Network.parseAddress(Substring(address)), value > nodeAddressBase else { return nil }
        let index = Int(value - nodeAddressBase) - 1
        return index < HollowNodeConfiguration.maximumCount ? index : nil
    }

    /// A stable 32-hex-digit ID (machine ID, boot ID, system UUID), distinct per purpose and node.
    func machineHex(_ purpose: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325, second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in "\(purpose)/\(name)".utf8 {
            first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x100_0000_01b3 ^ first >> 29
        }
        return Self.hex(first) + Self.hex(second)
    }

    var machineID: String { machineHex("machine-id") }
    var bootID: String { Self.uuid(machineHex("boot-id")) }
    var systemUUID: String { Self.uuid(machineHex("system-uuid")) }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `8-4-4-4-12` from 32 hex digits.
    static func uuid(_ hex: String) -> String {
        let chars = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
    }
}
