import COpenSSL

/// Owns one libcrypto `EVP_PKEY`. Keys are immutable after creation and libcrypto allows
/// concurrent signing and verification with one key, so the box may be shared across threads.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The key's curve when it is an EC key on P-256 or P-384.
    var curve: EllipticCurve? {
        guard EVP_PKEY_get_base_id(pointer) == EVP_PKEY_EC else { return nil }
        switch EVP_PKEY_get_bits(pointer) {
        case 256: return .p256
        case 384: return .p384
        default: return nil
        }
    }

    var isRSA: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_RSA }

    /// The SubjectPublicKeyInfo DER of the key's public half.
    func subjectPublicKeyInfo() throws(CryptoError) -> [UInt8] {
        try Self.encode("i2d_PUBKEY") { i2d_PUBKEY(pointer, $0) }
    }

    /// Runs an `i2d_*` style encoder twice: once for the length, once into the buffer.
    static func encode(
        _ operation: String, _ encoder: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) throws(CryptoError) -> [UInt8] {
        let length = encoder(nil)
        guard length > 0 else { throw .operationFailed(operation) }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return encoder(&cursor)
        }
        guard written == length else { throw .operationFailed(operation) }
        return bytes
    }
}

/// The curves Skiff signs with (Go's crypto/tls, kubectl and BoringSSL accept both).
public enum EllipticCurve: Sendable, Hashable {
    case p256, p384

    /// The digest ECDSA pairs with this curve in certificates (ecdsa-with-SHA256/384).
    public var digest: Digest { self == .p256 ? .sha256 : .sha384 }
    /// The size of r and s in bytes (JOSE's raw signature is r‖s, each this long).
    public var coordinateSize: Int { self == .p256 ? 32 : 48 }

    var nid: Int32 { self == .p256 ? NID_X9_62_prime256v1 : NID_secp384r1 }
}
