import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// A TLS configuration compiled into an OpenSSL `SSL_CTX`: certificates, trust roots, peer
/// verification and the ALPN protocols. Immutable once made, so one context serves every
/// connection of a server or client (OpenSSL allows `SSL_new` from many threads).
public final class TLSContext: @unchecked Sendable {
    /// Whether and how the peer's certificate is checked.
    public enum PeerVerification: Sendable, Equatable {
        /// No certificate is asked for or checked (a client that skips server verification).
        case none
        /// A server asks for a client certificate and checks it only if one is sent
        /// (Go's `VerifyClientCertIfGiven`, what kube-apiserver runs with).
        case ifPresented
        /// The peer must present a certificate that chains to the trust roots.
        case required
    }

    public enum Role: Sendable { case client, server }

    public let role: Role
    let context: OpaquePointer
    /// ALPN protocols in preference order, in the wire form (length-prefixed).
    let alpnWire: [UInt8]
    /// `alpnWire` and a zero byte, at a fixed address for the server's selection callback.
    private let alpnStorage: UnsafeMutableBufferPointer<UInt8>

    /// A server context.
    /// - Parameters:
    ///   - certificateChainPEM: the server's certificate, then any intermediates.
    ///   - privateKeyPEM: its key.
    ///   - clientTrustRootsPEM: CA certificates client certificates must chain to.
    ///   - clientVerification: whether client certificates are asked for and checked.
    ///   - applicationProtocols: ALPN protocols in the server's preference order.
    public static func server(certificateChainPEM: [UInt8], privateKeyPEM: [UInt8],
                              clientTrustRootsPEM: [UInt8]? = nil,
                              clientVerification: PeerVerification = .none,
                              applicationProtocols: [String] = []) throws -> TLSContext {
        let context = try TLSContext(role: .server, applicationProtocols: applicationProtocols)
        try context.useIdentity(certificateChainPEM: certificateChainPEM, privateKeyPEM: privateKeyPEM)
        if let clientTrustRootsPEM {
            let roots = try PEMCertificates.read(clientTrustRootsPEM)
            defer { roots.forEach { X509_free($0) } }
            let store = SSL_CTX_get_cert_store(context.context)
            for root in roots {
                X509_STORE_add_cert(store, root)
                // The CA names a client picks its certificate by (Go sends none without a match).
                SSL_CTX_add_client_CA(context.context, root)
            }
        }
        context.setVerification(clientVerification)
        return context
    }

    /// A client context.
    /// - Parameters:
    ///   - trustRootsPEM: CA certificates the server must chain to; nil uses the system's.
    ///   - serverVerification: `.required` (the default) or `.none` (kubeconfig's
    ///     `insecure-skip-tls-verify`).
    ///   - certificateChainPEM/privateKeyPEM: a client certificate, if any.
    ///   - applicationProtocols: ALPN protocols to offer.
    public static func client(trustRootsPEM: [UInt8]? = nil, serverVerification: PeerVerification = .required,
                              certificateChainPEM: [UInt8]? = nil, privateKeyPEM: [UInt8]? = nil,
                              applicationProtocols: [String] = []) throws -> TLSContext {
        let context = try TLSContext(role: .client, applicationProtocols: applicationProtocols)
        if let certificateChainPEM, let privateKeyPEM {
            try context.useIdentity(certificateChainPEM: certificateChainPEM, privateKeyPEM: privateKeyPEM)
        }
        if let trustRootsPEM {
            let roots = try PEMCertificates.read(trustRootsPEM)
            defer { roots.forEach { X509_free($0) } }
            let store = SSL_CTX_get_cert_store(context.context)
            for root in roots { X509_STORE_add_cert(store, root) }
        } else {
            SSL_CTX_set_default_verify_paths(context.context)
        }
        context.setVerification(serverVerification == .none ? .none : .required)
        if !context.alpnWire.isEmpty {
            let failed = context.alpnWire.withUnsafeBufferPointer {
                SSL_CTX_set_alpn_protos(context.context, $0.baseAddress, UInt32($0.count))
            }
            if failed != 0 { throw TLSError.configuration(OpenSSLErrors.drain(prefix: "ALPN protocols")) }
        }
        return context
    }

    private init(role: Role, applicationProtocols: [String]) throws {
        guard let context = SSL_CTX_new(role == .server ? TLS_server_method() : TLS_client_method()) else {
            throw TLSError.configuration(OpenSSLErrors.drain(prefix: "SSL_CTX_new"))
        }
        self.role = role
        self.context = context
        var wire: [UInt8] = []
        for name in applicationProtocols {
            let bytes = Array(name.utf8)
            guard !bytes.isEmpty, bytes.count < 256 else { throw TLSError.configuration("invalid ALPN protocol \(name)") }
            wire.append(UInt8(bytes.count))
            wire += bytes
        }
        alpnWire = wire
        // Zero-terminated, so the selection callback can walk it without a length.
        alpnStorage = .allocate(capacity: wire.count + 1)
        _ = alpnStorage.initialize(from: wire + [0])
        SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        // Writes into memory BIOs never block; a partially written record must not be retried
        // from a different buffer address.
        SSL_CTX_ctrl(context, SSL_CTRL_MODE, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS), nil)
        if role == .server {
            if !wire.isEmpty {
                SSL_CTX_set_alpn_select_cb(context, TLSContext.selectApplicationProtocol,
                                           UnsafeMutableRawPointer(alpnStorage.baseAddress))
            }
        }
    }

    deinit {
        SSL_CTX_free(context)
        alpnStorage.deallocate()
    }

    private func useIdentity(certificateChainPEM: [UInt8], privateKeyPEM: [UInt8]) throws {
        let chain = try PEMCertificates.read(certificateChainPEM)
        defer { chain.forEach { X509_free($0) } }
        guard let leaf = chain.first else { throw TLSError.configuration("no certificate in the certificate PEM") }
        guard SSL_CTX_use_certificate(context, leaf) == 1 else {
            throw TLSError.configuration(OpenSSLErrors.drain(prefix: "certificate"))
        }
        for intermediate in chain.dropFirst() {
            // SSL_CTX_add1_chain_cert: takes its own reference.
            SSL_CTX_ctrl(context, SSL_CTRL_CHAIN_CERT, 1, UnsafeMutableRawPointer(intermediate))
        }
        let key = try PEMCertificates.readPrivateKey(privateKeyPEM)
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(context, key) == 1, SSL_CTX_check_private_key(context) == 1 else {
            throw TLSError.configuration(OpenSSLErrors.drain(prefix: "private key"))
        }
    }

    private func setVerification(_ verification: PeerVerification) {
        switch verification {
        case .none: SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        case .ifPresented: SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        case .required: SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
    }

    /// The server's ALPN choice: its first protocol the client also offers; no overlap means no
    /// ALPN (the connection falls back to HTTP/1.1), as Go's server does.
    private static let selectApplicationProtocol: @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
        UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
    ) -> Int32 = { ssl, out, outLength, offered, offeredLength, argument in
        guard let out, let outLength, let offered, let argument else { return SSL_TLSEXT_ERR_NOACK }
        let server = argument.assumingMemoryBound(to: UInt8.self)
        var serverOffset = 0
        while true {
            let length = Int(server[serverOffset])
            if length == 0 { break }
            var offeredOffset = 0
            while offeredOffset < Int(offeredLength) {
                let candidateLength = Int(offered[offeredOffset])
                if candidateLength == length,
                   offeredOffset + 1 + length <= Int(offeredLength),
                   memcmp(offered + offeredOffset + 1, server + serverOffset + 1, length) == 0 {
                    out.pointee = offered + offeredOffset + 1
                    outLength.pointee = UInt8(length)
                    return SSL_TLSEXT_ERR_OK
                }
                offeredOffset += 1 + candidateLength
            }
            serverOffset += 1 + length
        }
        return SSL_TLSEXT_ERR_NOACK
    }
}
