import Crypto
import Foundation
import SwiftASN1
import X509

/// The cluster's certificate authority: a self-signed ECDSA P-256 CA that signs the API
/// server's serving certificate and client certificates (kubeadm's `ca.crt`, k3s's
/// `server-ca.crt` and `client-ca.crt` in one).
public struct CertificateAuthority: Sendable {
    /// Ten years, as kubeadm's and k3s's CAs.
    public static let defaultValidity: TimeInterval = 10 * 365 * 24 * 3600
    /// One year, as kubeadm's and k3s's leaf certificates.
    public static let leafValidity: TimeInterval = 365 * 24 * 3600
    /// notBefore is backdated by this much to tolerate clock skew between hosts (kubeadm does
    /// the same).
    public static let backdate: TimeInterval = 5 * 60

    public let credentials: CertificateKeyPair

    public var certificate: Certificate { credentials.certificate }

    public init(credentials: CertificateKeyPair) {
        self.credentials = credentials
    }

    /// Creates a new self-signed CA: `CN=<commonName>`, basicConstraints CA:TRUE (critical),
    /// keyUsage digitalSignature+keyCertSign+cRLSign (critical), subjectKeyIdentifier.
    public static func generate(
        commonName: String = "skiff-ca", validity: TimeInterval = defaultValidity, now: Date = Date()
    ) throws -> CertificateAuthority {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName(commonName) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now - backdate,
            notValidAfter: now + validity,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key)
        return CertificateAuthority(credentials: try CertificateKeyPair(certificate: certificate, privateKey: key))
    }

    /// Issues the API server's serving certificate: `CN=kube-apiserver`, extKeyUsage
    /// serverAuth, the given SANs.
    public func issueServing(
        names: ServingNames, commonName: String = "kube-apiserver",
        validity: TimeInterval = leafValidity, now: Date = Date()
    ) throws -> CertificateKeyPair {
        try issue(
            subject: DistinguishedName { CommonName(commonName) },
            usage: .serverAuth, alternativeNames: names.subjectAlternativeNames,
            validity: validity, now: now)
    }

    /// Issues a client certificate that authenticates as user `commonName` in groups
    /// `organizations` (Kubernetes' x509 authenticator maps CN to the user name and each O to a
    /// group): extKeyUsage clientAuth.
    public func issueClient(
        commonName: String, organizations: [String] = [],
        validity: TimeInterval = leafValidity, now: Date = Date()
    ) throws -> CertificateKeyPair {
        var rdns = organizations.map {
            RelativeDistinguishedName(RelativeDistinguishedName.Attribute(
                type: .RDNAttributeType.organizationName, value: .init(utf8String: $0)))
        }
        rdns.append(RelativeDistinguishedName(RelativeDistinguishedName.Attribute(
            type: .RDNAttributeType.commonName, value: .init(utf8String: commonName))))
        return try issue(
            subject: DistinguishedName(rdns), usage: .clientAuth, alternativeNames: nil,
            validity: validity, now: now)
    }

    /// True when `certificate` names this CA as issuer and carries its valid signature.
    public func signed(_ certificate: Certificate) -> Bool {
        certificate.issuer == self.certificate.subject
            && self.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    private func issue(
        subject: DistinguishedName, usage: ExtendedKeyUsage.Usage,
        alternativeNames: SubjectAlternativeNames?, validity: TimeInterval, now: Date
    ) throws -> CertificateKeyPair {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let authorityKeyID = try? certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let notAfter = min(now + validity, certificate.notValidAfter)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([usage])
            if let authorityKeyID {
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
            }
            if let alternativeNames {
                alternativeNames
            }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now - Self.backdate,
            notValidAfter: notAfter,
            issuer: self.certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: credentials.privateKey)
        return try CertificateKeyPair(certificate: certificate, privateKey: key)
    }
}
