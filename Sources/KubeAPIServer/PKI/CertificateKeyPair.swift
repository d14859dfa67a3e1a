import Foundation
import KubePKI

/// A certificate with its private key, plus the exact PEM text stored on disk (which is what a
/// kubeconfig embeds and what a TLS stack loads).
///
/// Keys are ECDSA P-256, serialised as PKCS#8 (`-----BEGIN PRIVATE KEY-----`), which Go's
/// `crypto/tls` (kubectl), OpenSSL and BoringSSL (NIOSSL) all accept; SEC1
/// (`-----BEGIN EC PRIVATE KEY-----`) files written by other tools are accepted on load.
public struct CertificateKeyPair: Sendable {
    public let certificate: Certificate
    public let privateKey: PrivateKey
    public let certificatePEM: String
    public let privateKeyPEM: String

    public init(certificate: Certificate, privateKey: PrivateKey) throws {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = certificate.pemString
        self.privateKeyPEM = try privateKey.pkcs8PEM()
    }

    /// The DER encoding of the certificate.
    public var certificateDER: [UInt8] { certificate.derBytes }

    /// Writes the certificate (0644) and the key (0600), key first so a reader that sees the
    /// new certificate also finds its key.
    public func write(certificate certificateURL: URL, key keyURL: URL) throws {
        try SecureFile.write(privateKeyPEM, to: keyURL, mode: 0o600)
        try SecureFile.write(certificatePEM, to: certificateURL, mode: 0o644)
    }

    /// Loads a pair written by ``write(certificate:key:)`` (or any PEM certificate + P-256/P-384
    /// key), checking that the key belongs to the certificate.
    public static func load(certificate certificateURL: URL, key keyURL: URL) throws -> CertificateKeyPair {
        let certificateText = try SecureFile.read(certificateURL)
        let keyText = try SecureFile.read(keyURL)
        let certificate: Certificate
        let key: PrivateKey
        do {
            certificate = try Certificate(pemEncoded: certificateText)
        } catch {
            throw PKIError.unreadableFile(path: certificateURL.path, reason: "\(error)")
        }
        do {
            key = try PrivateKey(pemEncoded: keyText)
        } catch {
            throw PKIError.unreadableFile(path: keyURL.path, reason: "\(error)")
        }
        guard key.publicKey == certificate.publicKey else {
            throw PKIError.keyMismatch(path: keyURL.path)
        }
        return CertificateKeyPair(
            certificate: certificate, privateKey: key,
            certificatePEM: certificateText, privateKeyPEM: keyText)
    }

    private init(certificate: Certificate, privateKey: PrivateKey, certificatePEM: String, privateKeyPEM: String) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}
