import COpenSSL

/// The message digests certificates and tokens use.
public enum Digest: Sendable, Hashable {
    case sha1, sha256, sha384, sha512

    var algorithm: OpaquePointer {
        switch self {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }

    /// The digest of `bytes`.
    public func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let done = Array(bytes).withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &output, &length, algorithm, nil)
        }
        // EVP_Digest only fails without memory; a digest is never optional for callers.
        precondition(done == 1, "EVP_Digest failed: \(CryptoError.drainErrors())")
        return Array(output.prefix(Int(length)))
    }
}
