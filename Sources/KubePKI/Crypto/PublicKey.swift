import COpenSSL

/// A public key, held as its SubjectPublicKeyInfo DER (what certificates carry and what keys
/// are compared by). Verifies ECDSA (P-256, P-384) and RSA PKCS#1 v1.5 signatures.
public struct PublicKey: Hashable, Sendable {
    /// The SubjectPublicKeyInfo DER.
    public let derBytes: [UInt8]
    private let key: EVPKey

    public init(derEncoded bytes: [UInt8]) throws(CryptoError) {
        let parsed = bytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            ERR_clear_error()
            throw .malformedKey("not a SubjectPublicKeyInfo")
        }
        key = EVPKey(parsed)
        guard key.curve != nil || key.isRSA else { throw .unsupportedKey("only EC P-256/P-384 and RSA keys") }
        derBytes = bytes
    }

    init(key: EVPKey) throws(CryptoError) {
        self.key = key
        derBytes = try key.subjectPublicKeyInfo()
    }

    /// The key's curve; nil for RSA keys.
    public var curve: EllipticCurve? { key.curve }

    /// True when `signature` (DER ECDSA-Sig-Value, or an RSA PKCS#1 v1.5 block) signs `message`
    /// under this key with `digest`.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>, digest: Digest) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, digest.algorithm, nil, key.pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let signatureBytes = Array(signature)
        let result = Array(message).withUnsafeBufferPointer { messageBuffer in
            signatureBytes.withUnsafeBufferPointer { signatureBuffer in
                EVP_DigestVerify(context, signatureBuffer.baseAddress, signatureBuffer.count,
                                 messageBuffer.baseAddress, messageBuffer.count)
            }
        }
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.derBytes == rhs.derBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(derBytes) }
}
