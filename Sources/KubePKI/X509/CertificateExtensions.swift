import SwiftASN1

/// A certificate's extensions with typed readers for the ones Skiff uses. Readers return nil
/// when the extension is absent and throw when it is present but malformed.
public struct CertificateExtensions: Hashable, Sendable {
    public let all: [CertificateExtension]

    public init(_ all: [CertificateExtension]) {
        self.all = all
    }

    public subscript(oid: ASN1ObjectIdentifier) -> CertificateExtension? {
        all.first { $0.oid == oid }
    }

    private func parse<T>(_ oid: ASN1ObjectIdentifier, _ body: (ASN1Node) throws -> T) throws -> T? {
        guard let found = self[oid] else { return nil }
        return try body(DER.parse(found.value))
    }

    /// basicConstraints: whether the subject is a CA, and its path length limit.
    public var basicConstraints: (isCertificateAuthority: Bool, maxPathLength: Int?)? {
        get throws {
            try parse(OID.basicConstraints) { node in
                try DER.sequence(node, identifier: .sequence) { fields in
                    var next = fields.next()
                    var isCA = false
                    if let node = next, node.identifier == .boolean {
                        isCA = try Bool(derEncoded: node)
                        next = fields.next()
                    }
                    let limit = try next.map { try Int(derEncoded: $0) }
                    return (isCA, limit)
                }
            }
        }
    }

    public var keyUsage: KeyUsage? {
        get throws { try parse(OID.keyUsage) { KeyUsage(try ASN1BitString(derEncoded: $0)) } }
    }

    public var extendedKeyUsage: [ASN1ObjectIdentifier]? {
        get throws { try parse(OID.extendedKeyUsage) { try DER.sequence(of: ASN1ObjectIdentifier.self, identifier: .sequence, rootNode: $0) } }
    }

    public var subjectKeyIdentifier: [UInt8]? {
        get throws { try parse(OID.subjectKeyIdentifier) { Array(try ASN1OctetString(derEncoded: $0).bytes) } }
    }

    /// The keyIdentifier field of authorityKeyIdentifier (nil when absent there too).
    public var authorityKeyIdentifier: [UInt8]? {
        get throws {
            try parse(OID.authorityKeyIdentifier) { node -> [UInt8]? in
                try DER.sequence(node, identifier: .sequence) { fields in
                    var found: [UInt8]?
                    while let field = fields.next() {
                        if field.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific),
                           case .primitive(let bytes) = field.content {
                            found = Array(bytes)
                        }
                    }
                    return found
                }
            } ?? nil
        }
    }

    public var subjectAlternativeNames: [GeneralName]? {
        get throws {
            try parse(OID.subjectAlternativeName) { node in
                try DER.sequence(node, identifier: .sequence) { names in
                    var result: [GeneralName] = []
                    while let name = names.next() {
                        switch (name.identifier, name.content) {
                        case (GeneralName.dnsNameTag, .primitive(let bytes)):
                            result.append(.dnsName(String(decoding: bytes, as: UTF8.self)))
                        case (GeneralName.ipAddressTag, .primitive(let bytes)):
                            result.append(.ipAddress(Array(bytes)))
                        default:
                            result.append(.other)
                        }
                    }
                    return result
                }
            }
        }
    }
}
