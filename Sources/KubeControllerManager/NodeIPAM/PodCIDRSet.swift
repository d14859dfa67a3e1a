/// The pod ranges of a cluster CIDR cut into equal subnets (upstream's `cidrset.CidrSet`,
/// IPv4): which are taken, and where the next search starts — after the last one handed out,
/// wrapping around, so a released range is not reused at once.
public struct PodCIDRSet: Sendable, Equatable {
    public let base: UInt32
    public let clusterPrefix: Int
    public let subnetPrefix: Int
    private(set) var used: Set<Int> = []
    private(set) var nextCandidate = 0

    /// nil unless `cidr` is an IPv4 CIDR and `subnetPrefix` is no shorter than its prefix (and at most /30).
    public init?(cidr: String, subnetPrefix: Int) {
        guard let (address, prefix) = Self.parse(cidr), subnetPrefix >= prefix, subnetPrefix <= 30,
              subnetPrefix - prefix <= 24 else { return nil }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
        base = address & mask
        clusterPrefix = prefix
        self.subnetPrefix = subnetPrefix
    }

    /// How many subnets the cluster CIDR holds.
    public var count: Int { 1 << (subnetPrefix - clusterPrefix) }

    /// The subnet with `index`, as `a.b.c.d/len`.
    public func subnet(_ index: Int) -> String {
        Self.format(base + UInt32(index) << (32 - subnetPrefix)) + "/\(subnetPrefix)"
    }

    /// Takes the next free subnet (nil when all are taken).
    public mutating func allocateNext() -> String? {
        for offset in 0..<count {
            let index = (nextCandidate + offset) % count
            if !used.contains(index) {
                used.insert(index)
                nextCandidate = (index + 1) % count
                return subnet(index)
            }
        }
        return nil
    }

    /// Marks `cidr` taken; false when it is not one of this set's subnets.
    @discardableResult
    public mutating func occupy(_ cidr: String) -> Bool {
        guard let index = index(of: cidr) else { return false }
        used.insert(index)
        return true
    }

    /// Frees `cidr`.
    public mutating func release(_ cidr: String) {
        if let index = index(of: cidr) { used.remove(index) }
    }

    public func isTaken(_ cidr: String) -> Bool { index(of: cidr).map(used.contains) ?? false }

    private func index(of cidr: String) -> Int? {
        guard let (address, prefix) = Self.parse(cidr), prefix == subnetPrefix else { return nil }
        let clusterMask: UInt32 = clusterPrefix == 0 ? 0 : ~UInt32(0) << (32 - clusterPrefix)
        guard address & clusterMask == base else { return nil }
        let index = Int((address - base) >> (32 - subnetPrefix))
        return index < count ? index : nil
    }

    static func parse(_ cidr: String) -> (UInt32, Int)? {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }) else { return nil }
        return (octets.reduce(0) { $0 << 8 | $1 }, prefix)
    }

    static func format(_ address: UInt32) -> String {
        [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }
}
