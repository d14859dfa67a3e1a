import SwiftASN1

/// One X.509 v3 extension as carried: `Extension ::= SEQUENCE { extnID, critical BOOLEAN
/// DEFAULT FALSE, extnValue OCTET STRING }`. The builders make the extensions Skiff issues.
public struct CertificateExtension: Hashable, Sendable {
    public var oid: ASN1ObjectIdentifier
    public var critical: Bool
    /// The DER inside extnValue.
    public var value: [UInt8]

    public init(oid: ASN1ObjectIdentifier, critical: Bool, value: [UInt8]) {
        self.oid = oid
        self.critical = critical
        self.value = value
    }

    init(derEncoded node: ASN1Node) throws {
        (oid, critical, value) = try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            var next = nodes.next()
            var critical = false
            if let node = next, node.identifier == .boolean {
                critical = try Bool(derEncoded: node)
                next = nodes.next()
            }
            guard let valueNode = next else { throw ASN1Error.invalidASN1Object(reason: "extension without a value") }
            return (oid, critical, Array(try ASN1OctetString(derEncoded: valueNode).bytes))
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { fields in
            try fields.serialize(oid)
            if critical { try fields.serialize(true) }
            try fields.serialize(ASN1OctetString(contentBytes: value[...]))
        }
    }

    private static func build(
        _ oid: ASN1ObjectIdentifier, critical: Bool, _ body: (inout DER.Serializer) throws -> Void
    ) throws -> CertificateExtension {
        var serializer = DER.Serializer()
        try body(&serializer)
        return CertificateExtension(oid: oid, critical: critical, value: serializer.serializedBytes)
    }

    /// basicConstraints, critical: `CA:TRUE` (no path length limit) or `CA:FALSE`.
    public static func basicConstraints(isCertificateAuthority: Bool) throws -> CertificateExtension {
        try build(OID.basicConstraints, critical: true) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { fields in
                if isCertificateAuthority { try fields.serialize(true) }
            }
        }
    }

    /// keyUsage, critical.
    public static func keyUsage(_ usage: KeyUsage) throws -> CertificateExtension {
        try build(OID.keyUsage, critical: true) { coder in
            try coder.serialize(usage.bitString)
        }
    }

    /// extKeyUsage (not critical, as kubeadm's and Go's certificates).
    public static func extendedKeyUsage(_ usages: [ASN1ObjectIdentifier]) throws -> CertificateExtension {
        try build(OID.extendedKeyUsage, critical: false) { coder in
            try coder.serializeSequenceOf(usages)
        }
    }

    /// subjectKeyIdentifier: the SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1).
    public static func subjectKeyIdentifier(_ identifier: [UInt8]) throws -> CertificateExtension {
        try build(OID.subjectKeyIdentifier, critical: false) { coder in
            try coder.serialize(ASN1OctetString(contentBytes: identifier[...]))
        }
    }

    /// authorityKeyIdentifier with the keyIdentifier field only.
    public static func authorityKeyIdentifier(_ identifier: [UInt8]) throws -> CertificateExtension {
        try build(OID.authorityKeyIdentifier, critical: false) { coder in
            coder.appendConstructedNode(identifier: .sequence) { fields in
                fields.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
                    $0.append(contentsOf: identifier)
                }
            }
        }
    }

    /// subjectAltName with DNS names and IP addresses (4 or 16 bytes each).
    public static func subjectAlternativeNames(dnsNames: [String], ipAddresses: [[UInt8]]) throws -> CertificateExtension {
        try build(OID.subjectAlternativeName, critical: false) { coder in
            coder.appendConstructedNode(identifier: .sequence) { names in
                for name in dnsNames {
                    names.appendPrimitiveNode(identifier: GeneralName.dnsNameTag) { $0.append(contentsOf: name.utf8) }
                }
                for address in ipAddresses {
                    names.appendPrimitiveNode(identifier: GeneralName.ipAddressTag) { $0.append(contentsOf: address) }
                }
            }
        }
    }
}

/// The keyUsage bits Skiff reads and writes (RFC 5280 §4.2.1.3).
public struct KeyUsage: Hashable, Sendable {
    public var digitalSignature = false
    public var keyEncipherment = false
    public var keyCertSign = false
    public var cRLSign = false

    public init(digitalSignature: Bool = false, keyEncipherment: Bool = false, keyCertSign: Bool = false, cRLSign: Bool = false) {
        self.digitalSignature = digitalSignature
        self.keyEncipherment = keyEncipherment
        self.keyCertSign = keyCertSign
        self.cRLSign = cRLSign
    }

    init(_ bits: ASN1BitString) {
        func bit(_ index: Int) -> Bool {
            let byte = index / 8
            guard byte < bits.bytes.count else { return false }
            return bits.bytes[bits.bytes.startIndex + byte] & (0x80 >> UInt8(index % 8)) != 0
        }
        self.init(digitalSignature: bit(0), keyEncipherment: bit(2), keyCertSign: bit(5), cRLSign: bit(6))
    }

    /// DER's named-bit form: trailing zero bits are dropped and counted as padding.
    var bitString: ASN1BitString {
        let set = [(0, digitalSignature), (2, keyEncipherment), (5, keyCertSign), (6, cRLSign)].filter(\.1).map(\.0)
        guard let last = set.max() else { return ASN1BitString(bytes: [], paddingBits: 0) }
        var bytes = [UInt8](repeating: 0, count: last / 8 + 1)
        for index in set { bytes[index / 8] |= 0x80 >> UInt8(index % 8) }
        return ASN1BitString(bytes: bytes[...], paddingBits: 7 - last % 8)
    }
}

/// The subjectAltName forms Skiff reads; others are kept as `.other`.
public enum GeneralName: Hashable, Sendable {
    case dnsName(String)
    case ipAddress([UInt8])
    case other

    static let dnsNameTag = ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific)
    static let ipAddressTag = ASN1Identifier(tagWithNumber: 7, tagClass: .contextSpecific)
}
