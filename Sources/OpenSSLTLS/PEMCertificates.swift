import COpenSSL

/// Reading PEM certificates and keys into OpenSSL objects (the caller frees them).
enum PEMCertificates {
    /// Every certificate in `pem`, in order; at least one.
    static func read(_ pem: [UInt8]) throws -> [OpaquePointer] {
        try withMemoryBIO(pem) { bio in
            var certificates: [OpaquePointer] = []
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                certificates.append(certificate)
            }
            ERR_clear_error()  // the read that ends the loop leaves "no start line"
            guard !certificates.isEmpty else { throw TLSError.configuration("no PEM certificate found") }
            return certificates
        }
    }

    /// The private key in `pem` (PKCS#8, SEC1 EC or PKCS#1 RSA).
    static func readPrivateKey(_ pem: [UInt8]) throws -> OpaquePointer {
        try withMemoryBIO(pem) { bio in
            guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
                throw TLSError.configuration(OpenSSLErrors.drain(prefix: "no PEM private key found"))
            }
            return key
        }
    }

    /// A certificate's DER encoding.
    static func der(_ certificate: OpaquePointer) -> [UInt8]? {
        let length = i2d_X509(certificate, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509(certificate, &cursor)
        }
        return written == length ? der : nil
    }

    private static func withMemoryBIO<R>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> R) throws -> R {
        try bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                throw TLSError.configuration("BIO_new_mem_buf failed")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }
}
