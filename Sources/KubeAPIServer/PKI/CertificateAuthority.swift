import Foundation
import KubePKI
import SwiftASN1

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
        let key = try PrivateKey.generate()
        let name = try DistinguishedName.subject(commonName: commonName)
        let certificate = try Certificate.issue(
            subject: name, publicKey: key.publicKey,
            notValidBefore: now - backdate, notValidAfter: now + validity,
            issuer: name, issuerKey: key,
            extensions: [
                .basicConstraints(isCertificateAuthority: true),
                .keyUsage(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true)),
                .subjectKeyIdentifier(Certificate.keyIdentifier(for: key.publicKey)),
            ])
        return CertificateAuthority(credentials: try CertificateKeyPair(certificate: certificate, privateKey: key))
    }

    /// Issues the API server's serving certificate: `CN=kube-apiserver`, extKeyUsage
    /// serverAuth, the given SANs.
    public func issueServing(
        names: ServingNames, commonName: String = "kube-apiserver",
        validity: TimeInterval = leafValidity, now: Date = Date()
    ) throws -> CertificateKeyPair {
        try issue(
            subject: .subject(commonName: commonName), usage: OID.serverAuth,
            alternativeNames: names.subjectAlternativeNames, validity: validity, now: now)
    }

    /// Issues a client certificate that authenticates as user `commonName` in groups
    /// `organizations` (Kubernetes' x509 authenticator maps CN to the user name and each O to a
    /// group): extKeyUsage clientAuth.
    public func issueClient(
        commonName: String, organizations: [String] = [],
        validity: TimeInterval = leafValidity, now: Date = Date()
    ) throws -> CertificateKeyPair {
        try issue(
            subject: .subject(commonName: commonName, organizations: organizations), usage: OID.clientAuth,
            alternativeNames: nil, validity: validity, now: now)
    }

    /// True when `certificate` names this CA as issuer and carries its valid signature.
    public func signed(_ certificate: Certificate) -> Bool {
        certificate.issuer == self.certificate.subject && certificate.isSigned(by: self.certificate.publicKey)
    }

    private func issue(
        subject: DistinguishedName, usage: ASN1ObjectIdentifier,
        alternativeNames: CertificateExtension?, validity: TimeInterval, now: Date
    ) throws -> CertificateKeyPair {
        let key = try PrivateKey.generate()
        var extensions: [CertificateExtension] = [
            try .basicConstraints(isCertificateAuthority: false),
            try .keyUsage(KeyUsage(digitalSignature: true)),
            try .extendedKeyUsage([usage]),
        ]
        if let authorityKeyID = try? certificate.extensions.subjectKeyIdentifier {
            extensions.append(try .authorityKeyIdentifier(authorityKeyID))
        }
        if let alternativeNames { extensions.append(alternativeNames) }
        let certificate = try Certificate.issue(
            subject: subject, publicKey: key.publicKey,
            notValidBefore: now - Self.backdate, notValidAfter: min(now + validity, self.certificate.notValidAfter),
            issuer: self.certificate.subject, issuerKey: credentials.privateKey,
            extensions: extensions)
        return try CertificateKeyPair(certificate: certificate, privateKey: key)
    }
}
