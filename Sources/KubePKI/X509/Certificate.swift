import Foundation
import SwiftASN1

/// A parsed X.509 v3 certificate (RFC 5280 §4.1). It keeps its DER bytes, which are what it
/// is compared, hashed and written by; the fields are read from them once.
public struct Certificate: Hashable, Sendable {
    public let derBytes: [UInt8]
    /// The serial number's content octets as encoded.
    public let serialNumber: [UInt8]
    public let issuer: DistinguishedName
    public let subject: DistinguishedName
    public let notValidBefore: Date
    public let notValidAfter: Date
    public let publicKey: PublicKey
    public let extensions: CertificateExtensions
    public let signatureAlgorithm: ASN1ObjectIdentifier
    /// The signed part (TBSCertificate) and the signature over it.
    let tbsBytes: ArraySlice<UInt8>
    let signature: [UInt8]

    public init(derEncoded der: [UInt8]) throws {
        let root = try DER.parse(der)
        var fields = (serial: [UInt8](), issuer: DistinguishedName?.none, subject: DistinguishedName?.none,
                      notBefore: Date.distantPast, notAfter: Date.distantPast, key: PublicKey?.none,
                      extensions: [CertificateExtension]())
        var tbs = ArraySlice<UInt8>()
        let (algorithm, signature) = try DER.sequence(root, identifier: .sequence) { outer in
            guard let tbsNode = outer.next() else { throw ASN1Error.invalidASN1Object(reason: "no TBSCertificate") }
            tbs = tbsNode.encodedBytes
            try DER.sequence(tbsNode, identifier: .sequence) { nodes in
                _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { try Int(derEncoded: $0) }
                guard let serial = nodes.next(), serial.identifier == .integer, case .primitive(let bytes) = serial.content else {
                    throw ASN1Error.invalidASN1Object(reason: "no serial number")
                }
                fields.serial = Array(bytes)
                _ = nodes.next()  // the inner signature algorithm, repeated outside
                guard let issuer = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no issuer") }
                fields.issuer = try DistinguishedName(derEncoded: issuer)
                guard let validity = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no validity") }
                (fields.notBefore, fields.notAfter) = try DER.sequence(validity, identifier: .sequence) { times in
                    guard let from = times.next(), let until = times.next() else {
                        throw ASN1Error.invalidASN1Object(reason: "incomplete validity")
                    }
                    return (try CertificateTime.parse(from), try CertificateTime.parse(until))
                }
                guard let subject = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no subject") }
                fields.subject = try DistinguishedName(derEncoded: subject)
                guard let key = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no public key") }
                fields.key = try PublicKey(derEncoded: Array(key.encodedBytes))
                while let node = nodes.next() {
                    // issuerUniqueID [1] and subjectUniqueID [2] are skipped; extensions are [3].
                    guard node.identifier == ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) else { continue }
                    fields.extensions = try DER.explicitlyTagged(node, tagNumber: 3, tagClass: .contextSpecific) { list in
                        try DER.sequence(list, identifier: .sequence) { entries in
                            var result: [CertificateExtension] = []
                            while let entry = entries.next() { result.append(try CertificateExtension(derEncoded: entry)) }
                            return result
                        }
                    }
                }
            }
            guard let algorithmNode = outer.next(), let signatureNode = outer.next() else {
                throw ASN1Error.invalidASN1Object(reason: "no signature")
            }
            let algorithm = try DER.sequence(algorithmNode, identifier: .sequence) { nodes in
                let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
                while nodes.next() != nil {}  // parameters (NULL for RSA)
                return oid
            }
            return (algorithm, Array(try ASN1BitString(derEncoded: signatureNode).bytes))
        }
        guard let issuer = fields.issuer, let subject = fields.subject, let key = fields.key else {
            throw ASN1Error.invalidASN1Object(reason: "incomplete certificate")
        }
        derBytes = der
        serialNumber = fields.serial
        self.issuer = issuer
        self.subject = subject
        notValidBefore = fields.notBefore
        notValidAfter = fields.notAfter
        publicKey = key
        extensions = CertificateExtensions(fields.extensions)
        signatureAlgorithm = algorithm
        tbsBytes = tbs
        self.signature = signature
    }

    /// The first `CERTIFICATE` block of `pem`.
    public init(pemEncoded pem: String) throws {
        guard let document = try PEMDocument.parseMultiple(pemString: pem).first(where: { $0.discriminator == "CERTIFICATE" }) else {
            throw ASN1Error.invalidPEMDocument(reason: "no CERTIFICATE block")
        }
        try self.init(derEncoded: document.derBytes)
    }

    /// `-----BEGIN CERTIFICATE-----`, newline-terminated.
    public var pemString: String {
        PEMDocument(type: "CERTIFICATE", derBytes: derBytes).pemString + "\n"
    }

    /// True when `key` made this certificate's signature.
    public func isSigned(by key: PublicKey) -> Bool {
        guard let digest = OID.digest(ofSignatureAlgorithm: signatureAlgorithm) else { return false }
        return key.isValidSignature(signature, for: tbsBytes, digest: digest)
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.derBytes == rhs.derBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(derBytes) }
}
