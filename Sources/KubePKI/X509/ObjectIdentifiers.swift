import SwiftASN1

/// The object identifiers Skiff's certificates use (RFC 5280, RFC 5758, RFC 8017).
public enum OID {
    // Name attributes.
    public static let commonName: ASN1ObjectIdentifier = [2, 5, 4, 3]
    public static let organizationName: ASN1ObjectIdentifier = [2, 5, 4, 10]

    // Extensions.
    public static let subjectKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 14]
    public static let keyUsage: ASN1ObjectIdentifier = [2, 5, 29, 15]
    public static let subjectAlternativeName: ASN1ObjectIdentifier = [2, 5, 29, 17]
    public static let basicConstraints: ASN1ObjectIdentifier = [2, 5, 29, 19]
    public static let authorityKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 35]
    public static let extendedKeyUsage: ASN1ObjectIdentifier = [2, 5, 29, 37]

    // Extended key usages.
    public static let anyExtendedKeyUsage: ASN1ObjectIdentifier = [2, 5, 29, 37, 0]
    public static let serverAuth: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 1]
    public static let clientAuth: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 2]

    // Signature algorithms.
    public static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    public static let ecdsaWithSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
    public static let ecdsaWithSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 4]
    public static let sha256WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
    public static let sha384WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 12]
    public static let sha512WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 13]

    /// The digest a signature algorithm hashes with; nil for algorithms Skiff does not verify
    /// (SHA-1 signatures among them, as Go refuses them too).
    static func digest(ofSignatureAlgorithm algorithm: ASN1ObjectIdentifier) -> Digest? {
        switch algorithm {
        case ecdsaWithSHA256, sha256WithRSAEncryption: .sha256
        case ecdsaWithSHA384, sha384WithRSAEncryption: .sha384
        case ecdsaWithSHA512, sha512WithRSAEncryption: .sha512
        default: nil
        }
    }

    /// ecdsa-with-SHA256/384 for a curve.
    static func ecdsaSignatureAlgorithm(for curve: EllipticCurve) -> ASN1ObjectIdentifier {
        curve == .p256 ? ecdsaWithSHA256 : ecdsaWithSHA384
    }
}
