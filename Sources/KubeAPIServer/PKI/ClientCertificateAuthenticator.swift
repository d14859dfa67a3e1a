import Foundation
import KubePKI
import SwiftASN1

/// Kubernetes' x509 request authenticator (`k8s.io/apiserver/pkg/authentication/request/x509`)
/// for the cluster CA: the TLS layer hands over the peer's certificate chain (leaf first, then
/// any intermediates it sent); the leaf must chain to the CA with valid signatures, every
/// certificate must be within its validity period, and the chain must allow `clientAuth`.
/// The user is the leaf's subject CN, the groups its O values (`CommonNameUserConversion`).
///
/// Extended key usage follows Go's `x509.Certificate.Verify`, which the upstream authenticator
/// uses: a certificate without the extension is unrestricted; one with it must list
/// `clientAuth` or `anyExtendedKeyUsage`.
public struct ClientCertificateAuthenticator: Sendable {
    public let authority: Certificate
    /// Chains verified before (the signatures are checked once per chain, validity every time).
    let verified = VerifiedChainCache()

    public init(authority: Certificate) {
        self.authority = authority
    }

    /// - Parameter authorityPEM: the CA certificate, e.g. the contents of `tls/ca.crt`.
    public init(authorityPEM: String) throws {
        self.authority = try Certificate(pemEncoded: authorityPEM)
    }

    /// Authenticates a chain of DER-encoded certificates (what a TLS stack reports).
    public func authenticate(derChain: [[UInt8]], now: Date = Date()) throws(ClientCertificateError) -> UserInfo {
        try verifiedEntry(derChain: derChain, now: now).user
    }

    /// The chain's user and the window in which it stays valid (the latest `notValidBefore`
    /// and the earliest `notValidAfter` over the chain and the CA).
    func verifiedEntry(derChain: [[UInt8]], now: Date) throws(ClientCertificateError) -> VerifiedChainCache.Entry {
        // Outside the cached window the chain is verified afresh, for the precise error.
        if let entry = verified.entry(for: derChain), entry.validFrom <= now, now <= entry.validUntil {
            return entry
        }
        var chain: [Certificate] = []
        for der in derChain {
            do {
                chain.append(try Certificate(derEncoded: der))
            } catch {
                throw .unparsableCertificate("\(error)")
            }
        }
        let user = try authenticate(chain: chain, now: now)
        let all = chain + [authority]
        let entry = VerifiedChainCache.Entry(
            user: user,
            validFrom: all.map(\.notValidBefore).max() ?? now,
            validUntil: all.map(\.notValidAfter).min() ?? now)
        verified.insert(entry, for: derChain)
        return entry
    }

    /// Authenticates a peer certificate chain, leaf first.
    public func authenticate(chain: [Certificate], now: Date = Date()) throws(ClientCertificateError) -> UserInfo {
        guard let leaf = chain.first else { throw .emptyChain }
        try Self.checkValidity(leaf, now: now)
        try Self.checkClientAuthUsage(leaf)

        var current = leaf
        var intermediates = Array(chain.dropFirst())
        while true {
            if current.issuer == authority.subject {
                guard current.isSigned(by: authority.publicKey) else {
                    throw .badSignature
                }
                try Self.checkValidity(authority, now: now)
                break
            }
            guard let index = intermediates.firstIndex(where: { candidate in
                candidate.subject == current.issuer && Self.mayIssue(candidate)
                    && current.isSigned(by: candidate.publicKey)
            }) else {
                throw .unknownAuthority
            }
            current = intermediates.remove(at: index)
            try Self.checkValidity(current, now: now)
            try Self.checkClientAuthUsage(current)
        }

        let name = leaf.subject.commonName ?? ""
        guard !name.isEmpty else { throw .emptyCommonName }
        return UserInfo(name: name, groups: leaf.subject.values(of: OID.organizationName))
    }

    private static func checkValidity(_ certificate: Certificate, now: Date) throws(ClientCertificateError) {
        if now < certificate.notValidBefore { throw .notYetValid(certificate.notValidBefore) }
        if now > certificate.notValidAfter { throw .expired(certificate.notValidAfter) }
    }

    private static func checkClientAuthUsage(_ certificate: Certificate) throws(ClientCertificateError) {
        let usages: [ASN1ObjectIdentifier]?
        do {
            usages = try certificate.extensions.extendedKeyUsage
        } catch {
            throw .unparsableCertificate("\(error)")
        }
        guard let usages else { return }
        guard usages.contains(OID.clientAuth) || usages.contains(OID.anyExtendedKeyUsage) else { throw .notForClientAuth }
    }

    /// An intermediate must be a CA and, if it restricts key usage, allow certificate signing.
    private static func mayIssue(_ certificate: Certificate) -> Bool {
        guard (try? certificate.extensions.basicConstraints)??.isCertificateAuthority == true else { return false }
        guard let keyUsage = try? certificate.extensions.keyUsage else { return true }
        return keyUsage.keyCertSign
    }

}
