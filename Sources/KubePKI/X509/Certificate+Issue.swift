import Foundation
import SwiftASN1

extension Certificate {
    /// Builds and signs a v3 certificate for `publicKey`, signed by `issuerKey` with
    /// ecdsa-with-SHA256 (P-256) or ecdsa-with-SHA384 (P-384). The serial number is 128 random
    /// bits, positive.
    public static func issue(
        subject: DistinguishedName, publicKey: PublicKey,
        notValidBefore: Date, notValidAfter: Date,
        issuer: DistinguishedName, issuerKey: PrivateKey,
        extensions: [CertificateExtension]
    ) throws -> Certificate {
        let algorithm = OID.ecdsaSignatureAlgorithm(for: issuerKey.curve)
        var serial = (0..<16).map { _ in UInt8.random(in: 0...255) }
        serial[0] = UInt8.random(in: 1...0x7f)

        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { fields in
            try fields.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { try $0.serialize(2) }
            try fields.serialize(serial[...])
            try serializeAlgorithm(algorithm, into: &fields)
            fields.serializeRawBytes(issuer.derBytes)
            try fields.appendConstructedNode(identifier: .sequence) { validity in
                try CertificateTime.serialize(notValidBefore, into: &validity)
                try CertificateTime.serialize(notValidAfter, into: &validity)
            }
            fields.serializeRawBytes(subject.derBytes)
            fields.serializeRawBytes(publicKey.derBytes)
            if !extensions.isEmpty {
                try fields.serialize(explicitlyTaggedWithTagNumber: 3, tagClass: .contextSpecific) { tagged in
                    try tagged.appendConstructedNode(identifier: .sequence) { list in
                        for item in extensions { try item.serialize(into: &list) }
                    }
                }
            }
        }
        let signature = try issuerKey.signature(for: tbs.serializedBytes)

        var certificate = DER.Serializer()
        try certificate.appendConstructedNode(identifier: .sequence) { outer in
            outer.serializeRawBytes(tbs.serializedBytes)
            try serializeAlgorithm(algorithm, into: &outer)
            try outer.serialize(ASN1BitString(bytes: signature[...]))
        }
        return try Certificate(derEncoded: certificate.serializedBytes)
    }

    /// ECDSA AlgorithmIdentifiers carry no parameters (RFC 5758 §3.2).
    private static func serializeAlgorithm(_ algorithm: ASN1ObjectIdentifier, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { try $0.serialize(algorithm) }
    }

    /// The subjectKeyIdentifier for `key`: SHA-1 of the subjectPublicKey bits.
    public static func keyIdentifier(for key: PublicKey) throws -> [UInt8] {
        let bits = try DER.sequence(DER.parse(key.derBytes), identifier: .sequence) { nodes in
            _ = nodes.next()
            return try ASN1BitString(derEncoded: &nodes).bytes
        }
        return Digest.sha1.hash(bits)
    }
}
