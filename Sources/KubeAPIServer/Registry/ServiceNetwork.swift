/// The address ranges services draw from: the service CIDR (cluster IPs) and the node-port
/// range. Defaults as k3s: 10.43.0.0/16 and 30000–32767.
public struct ServiceNetwork: Sendable, Equatable {
    /// IPv4 network address, host byte order.
    public let base: UInt32
    public let prefixLength: Int
    public let nodePorts: ClosedRange<Int32>

    public static let `default` = ServiceNetwork(cidr: "10.43.0.0/16")!

    /// `10.43.0.0/16`; nil when not an IPv4 CIDR with a prefix of /8 to /30.
    public init?(cidr: String, nodePorts: ClosedRange<Int32> = 30000...32767) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (8...30).contains(prefix),
              let address = IPAddress(String(parts[0])), address.isIPv4 else { return nil }
        let value = address.bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
        base = value & mask
        prefixLength = prefix
        self.nodePorts = nodePorts
    }

    public var cidr: String { "\(Self.text(base))/\(prefixLength)" }

    /// Usable host offsets: 1 … size-2 (not the network or broadcast address).
    public var hostCount: UInt32 { (UInt32(1) << (32 - prefixLength)) - 2 }

    /// The address at host offset `offset` (1-based).
    public func address(at offset: UInt32) -> String { Self.text(base + offset) }

    /// The `kubernetes` service's address: the first host address.
    public var firstAddress: String { address(at: 1) }

    /// Whether `ip` is a usable host address of the range.
    public func contains(_ ip: String) -> Bool {
        guard let address = IPAddress(ip), address.isIPv4 else { return false }
        let value = address.bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let offset = value &- base
        return value >= base && offset >= 1 && offset <= hostCount
    }

    static func text(_ value: UInt32) -> String {
        "\(value >> 24).\((value >> 16) & 0xff).\((value >> 8) & 0xff).\(value & 0xff)"
    }
}
