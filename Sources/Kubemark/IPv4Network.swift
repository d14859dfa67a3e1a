/// An IPv4 network in CIDR notation (`10.128.3.0/24`): where a node's pods get their addresses.
public struct IPv4Network: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let base: UInt32
    public let prefixLength: Int

    public init(base: UInt32, prefixLength: Int) {
        precondition((0...32).contains(prefixLength))
        self.prefixLength = prefixLength
        self.base = base & Self.mask(prefixLength)
    }

    /// Parses `a.b.c.d/n`; nil for anything else (IPv6 included).
    public init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length),
              let address = Self.parseAddress(parts[0]) else { return nil }
        self.init(base: address, prefixLength: length)
    }

    /// The addresses pods can use: all but the network address, the first host (the bridge's,
    /// as kubenet and the bridge CNI plugin keep it) and the broadcast address.
    public var podAddressCount: Int {
        let size = 1 << (32 - min(prefixLength, 32))
        return max(0, size - 3)
    }

    /// The `offset`th pod address (0 ..< podAddressCount): base + 2 + offset.
    public func podAddress(_ offset: Int) -> UInt32 { base &+ UInt32(offset + 2) }

    public var description: String { "\(Self.format(base))/\(prefixLength)" }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : ~UInt32(0) << (32 - length) }

    /// `a.b.c.d` as a number; nil when malformed.
    public static func parseAddress(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    /// `a.b.c.d`.
    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }
}
