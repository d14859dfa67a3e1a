import KubePKI

/// The subject alternative names the API server's serving certificate must carry.
///
/// Like kubeadm's `apiserver` certificate and k3s's dynamic listener: the in-cluster names of
/// the `kubernetes` Service, `localhost`, the loopback addresses, the host's names and
/// addresses, and the Service's ClusterIP (the first address of the service CIDR).
public struct ServingNames: Sendable, Equatable {
    /// The in-cluster DNS names of the `default/kubernetes` Service, plus `localhost`.
    public static let defaultDNSNames = [
        "localhost",
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
    ]

    /// DNS names in order, without duplicates (compared case-insensitively).
    public private(set) var dnsNames: [String] = []
    /// IP addresses in order, without duplicates.
    public private(set) var ipAddresses: [IPAddress] = []

    public init(dnsNames: [String] = [], ipAddresses: [IPAddress] = []) {
        dnsNames.forEach { add(dnsName: $0) }
        ipAddresses.forEach { add(ipAddress: $0) }
    }

    /// The defaults plus `hostnames`, `ipAddresses` and `serviceIP`. Throws
    /// ``PKIError/invalidIPAddress(_:)`` for an unparsable address.
    public static func kubernetes(
        hostnames: [String], ipAddresses: [String], serviceIP: String
    ) throws -> ServingNames {
        var names = ServingNames(dnsNames: defaultDNSNames + hostnames)
        for text in ["127.0.0.1", "::1"] + ipAddresses + [serviceIP] {
            guard let address = IPAddress(text) else { throw PKIError.invalidIPAddress(text) }
            names.add(ipAddress: address)
        }
        return names
    }

    public mutating func add(dnsName: String) {
        let name = dnsName.lowercased()
        guard !name.isEmpty, !dnsNames.contains(name) else { return }
        dnsNames.append(name)
    }

    public mutating func add(ipAddress: IPAddress) {
        guard !ipAddresses.contains(ipAddress) else { return }
        ipAddresses.append(ipAddress)
    }

    /// The names as the `subjectAltName` extension value.
    public var subjectAlternativeNames: CertificateExtension {
        get throws { try .subjectAlternativeNames(dnsNames: dnsNames, ipAddresses: ipAddresses.map(\.bytes)) }
    }

    /// The DNS and IP SANs of `certificate` (other name forms are ignored); empty when the
    /// extension is missing or malformed.
    public init(of certificate: Certificate) {
        guard let sans = try? certificate.extensions.subjectAlternativeNames else { return }
        for name in sans {
            switch name {
            case .dnsName(let dns): add(dnsName: dns)
            case .ipAddress(let octets):
                if let address = IPAddress(bytes: octets[...]) { add(ipAddress: address) }
            case .other: continue
            }
        }
    }

    /// True when every name here appears literally in `other` (no wildcard matching: the
    /// serving certificate never carries wildcards).
    public func isSubset(of other: ServingNames) -> Bool {
        dnsNames.allSatisfy(other.dnsNames.contains) && ipAddresses.allSatisfy(other.ipAddresses.contains)
    }
}
