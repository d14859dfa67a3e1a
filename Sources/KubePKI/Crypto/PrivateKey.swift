import COpenSSL
import SwiftASN1

/// An ECDSA private key on P-256 or P-384: generated here, or read from PEM (PKCS#8
/// `PRIVATE KEY`, or SEC1 `EC PRIVATE KEY` as `openssl ec` and older kubeadm write).
/// Written as PKCS#8, which Go's crypto/tls (kubectl), OpenSSL and BoringSSL (NIOSSL) all read.
public struct PrivateKey: Sendable {
    private let key: EVPKey
    public let publicKey: PublicKey
    public let curve: EllipticCurve

    /// A fresh key.
    public static func generate(curve: EllipticCurve = .p256) throws(CryptoError) -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { throw .operationFailed("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        try CryptoError.check(EVP_PKEY_keygen_init(context), "EVP_PKEY_keygen_init")
        try CryptoError.check(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, curve.nid), "set curve")
        var generated: OpaquePointer?
        try CryptoError.check(EVP_PKEY_keygen(context, &generated), "EVP_PKEY_keygen")
        guard let generated else { throw .operationFailed("EVP_PKEY_keygen") }
        return try PrivateKey(key: EVPKey(generated))
    }

    /// Reads the first private key block of `pem`.
    public init(pemEncoded pem: String) throws(CryptoError) {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: pem)
        } catch {
            throw .malformedKey("not PEM")
        }
        guard let document = documents.first(where: { ["PRIVATE KEY", "EC PRIVATE KEY"].contains($0.discriminator) }) else {
            throw .malformedKey("no PRIVATE KEY or EC PRIVATE KEY block")
        }
        let parsed = document.derBytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            ERR_clear_error()
            throw .malformedKey("unreadable \(document.discriminator)")
        }
        try self.init(key: EVPKey(parsed))
    }

    private init(key: EVPKey) throws(CryptoError) {
        guard let curve = key.curve else { throw .unsupportedKey("only EC P-256 and P-384 private keys") }
        self.key = key
        self.curve = curve
        publicKey = try PublicKey(key: key)
    }

    /// PKCS#8 DER.
    public func pkcs8DER() throws(CryptoError) -> [UInt8] {
        guard let info = EVP_PKEY2PKCS8(key.pointer) else { throw .operationFailed("EVP_PKEY2PKCS8") }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try EVPKey.encode("i2d_PKCS8_PRIV_KEY_INFO") { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), newline-terminated.
    public func pkcs8PEM() throws(CryptoError) -> String {
        PEMDocument(type: "PRIVATE KEY", derBytes: try pkcs8DER()).pemString + "\n"
    }

    /// The DER ECDSA-Sig-Value signature of `message`, hashed with `digest` (by default the
    /// curve's own: SHA-256 for P-256, SHA-384 for P-384).
    public func signature(for message: some Collection<UInt8>, digest: Digest? = nil) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .operationFailed("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        try CryptoError.check(
            EVP_DigestSignInit(context, nil, (digest ?? curve.digest).algorithm, nil, key.pointer), "EVP_DigestSignInit")
        let input = Array(message)
        var length = 0
        try CryptoError.check(EVP_DigestSign(context, nil, &length, input, input.count), "EVP_DigestSign")
        var signature = [UInt8](repeating: 0, count: length)
        try CryptoError.check(EVP_DigestSign(context, &signature, &length, input, input.count), "EVP_DigestSign")
        return Array(signature.prefix(length))
    }
}
