import COpenSSL
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOTLS

/// TLS on a NIO channel through OpenSSL with memory BIOs: ciphertext from the network is fed to
/// OpenSSL, plaintext comes out towards the application, and the other way round. Fires NIO's
/// `TLSUserEvent.handshakeCompleted(negotiatedProtocol:)` once the handshake is done, so NIO's
/// ALPN handlers (HTTP/2 or HTTP/1.1) work on top of it. Writes made before the handshake
/// finishes are held and sent after it.
///
/// Writes are encrypted at flush time, all of them together: an HTTP/2 response (a HEADERS
/// frame, a DATA frame's header and its payload: three writes) becomes one TLS record instead
/// of three. A flush is carried out at the end of the event loop's current batch of tasks, so
/// the responses of every request task that runs in that batch leave in one record and one
/// system call.
public final class TLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private enum State {
        case idle
        case handshaking
        case active
        case closed
    }

    private let tls: TLSContext
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer
    private var state = State.idle
    private var heldWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var flushHeld = false
    /// Plaintext written since the last flush was carried out, and the writes' promises.
    private var pendingPlaintext: ByteBuffer?
    private var pendingPromises: [EventLoopPromise<Void>] = []
    /// Whether a flush is queued on the event loop.
    private var flushScheduled = false

    /// The leaf certificate the peer presented (DER), once the handshake is done; verified
    /// against the trust roots unless verification is off.
    public private(set) var peerCertificateDER: [UInt8]?
    /// The protocol ALPN settled on, once the handshake is done.
    public private(set) var negotiatedProtocol: String?

    /// - Parameters:
    ///   - context: a client or server context.
    ///   - serverHostname: for a client, the name sent as SNI and checked against the server's
    ///     certificate (an IP address is checked against its IP SANs, without SNI); nil checks
    ///     the chain only.
    public init(context: TLSContext, serverHostname: String? = nil) throws {
        guard let ssl = SSL_new(context.context) else {
            throw TLSError.configuration(OpenSSLErrors.drain(prefix: "SSL_new"))
        }
        guard let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError.configuration("BIO_new failed")
        }
        SSL_set_bio(ssl, readBIO, writeBIO)  // the SSL owns both BIOs now
        self.tls = context
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        switch context.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            if let serverHostname {
                if IPAddressText.isIPAddress(serverHostname) {
                    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverHostname)
                } else {
                    serverHostname.withCString { name in
                        _ = SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                                     UnsafeMutableRawPointer(mutating: name))
                        _ = SSL_set1_host(ssl, name)
                    }
                }
            }
        }
    }

    deinit {
        SSL_free(ssl)
    }

    // MARK: Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startHandshake(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        startHandshake(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        let wasHandshaking = state == .handshaking || state == .idle
        state = .closed
        failHeldWrites(wasHandshaking ? TLSError.closedDuringHandshake : ChannelError.ioOnClosedChannel)
        failPendingWrites(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    private func startHandshake(context: ChannelHandlerContext) {
        guard state == .idle else { return }
        state = .handshaking
        continueHandshake(context: context)
    }

    private func continueHandshake(context: ChannelHandlerContext) {
        // SSL_get_error reads this thread's error queue: it must start empty.
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            finishHandshake(context: context)
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            sendCiphertext(context: context, flush: true)
        default:
            let reason = OpenSSLErrors.drain(prefix: verifyFailure() ?? "handshake")
            // Send the alert OpenSSL produced, then give up.
            sendCiphertext(context: context, flush: true)
            fail(context: context, error: TLSError.handshakeFailed(reason))
        }
    }

    private func finishHandshake(context: ChannelHandlerContext) {
        state = .active
        var selected: UnsafePointer<UInt8>?
        var selectedLength: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &selected, &selectedLength)
        if let selected, selectedLength > 0 {
            negotiatedProtocol = String(decoding: UnsafeBufferPointer(start: selected, count: Int(selectedLength)), as: UTF8.self)
        }
        if let certificate = SSL_get1_peer_certificate(ssl) {
            peerCertificateDER = PEMCertificates.der(certificate)
            X509_free(certificate)
        }
        sendCiphertext(context: context, flush: true)
        context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: negotiatedProtocol))
        let held = heldWrites
        heldWrites = []
        for (buffer, promise) in held { write(context: context, buffer: buffer, promise: promise) }
        if flushHeld || !held.isEmpty {
            flushHeld = false
            flushPending(context: context)
        }
        // Application data may have arrived together with the handshake's last flight.
        readPlaintext(context: context)
    }

    /// OpenSSL's verdict on the peer's certificate when that is why the handshake failed.
    private func verifyFailure() -> String? {
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK, let text = X509_verify_cert_error_string(result) else { return nil }
        return "certificate verify failed: " + String(cString: text)
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .closed else { return }
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { bytes in
            if bytes.count > 0 { _ = BIO_write(readBIO, bytes.baseAddress, Int32(bytes.count)) }
        }
        switch state {
        case .idle:
            startHandshake(context: context)
        case .handshaking:
            continueHandshake(context: context)
        case .active:
            readPlaintext(context: context)
        case .closed:
            break
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        sendCiphertext(context: context, flush: true)
        context.fireChannelReadComplete()
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        while state == .active {
            var buffer = context.channel.allocator.buffer(capacity: 16_384)
            var result: Int32 = 0
            ERR_clear_error()
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16_384) { space in
                result = SSL_read(ssl, space.baseAddress, Int32(min(space.count, Int(Int32.max))))
                return max(Int(result), 0)
            }
            if result > 0 {
                context.fireChannelRead(wrapInboundOut(buffer))
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                // close_notify: the peer is done; answer it and close.
                SSL_shutdown(ssl)
                sendCiphertext(context: context, flush: true)
                state = .closed
                context.close(promise: nil)
                return
            default:
                fail(context: context, error: TLSError.connectionFailed(OpenSSLErrors.drain(prefix: "read")))
                return
            }
        }
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        write(context: context, buffer: unwrapOutboundIn(data), promise: promise)
    }

    private func write(context: ChannelHandlerContext, buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        switch state {
        case .idle, .handshaking:
            heldWrites.append((buffer, promise))
        case .closed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        case .active:
            if pendingPlaintext == nil {
                pendingPlaintext = buffer
            } else {
                pendingPlaintext!.writeImmutableBuffer(buffer)
            }
            if let promise { pendingPromises.append(promise) }
        }
    }

    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking:
            flushHeld = true
        case .closed:
            context.flush()
        case .active:
            guard !flushScheduled else { return }
            flushScheduled = true
            // Runs after the tasks already queued on the loop, whose flushes join this one.
            context.eventLoop.assumeIsolated().execute {
                self.flushScheduled = false
                self.flushPending(context: context)
            }
        }
    }

    /// Encrypts everything written so far and flushes it now.
    private func flushPending(context: ChannelHandlerContext) {
        guard state == .active else { return }
        encryptPending(context: context)
        context.flush()
    }

    /// Encrypts the pending plaintext (OpenSSL cuts it into records of at most 16 KiB) and
    /// writes the ciphertext on; the pending writes' promises follow that write.
    private func encryptPending(context: ChannelHandlerContext) {
        guard let plaintext = pendingPlaintext else { return }
        pendingPlaintext = nil
        let promises = pendingPromises
        pendingPromises = []
        ERR_clear_error()
        let failure: String? = plaintext.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let chunk = Int32(min(bytes.count - offset, Int(Int32.max)))
                let written = SSL_write(ssl, bytes.baseAddress! + offset, chunk)
                if written <= 0 { return OpenSSLErrors.drain(prefix: "write") }
                offset += Int(written)
            }
            return nil
        }
        if let failure {
            let error = TLSError.connectionFailed(failure)
            for promise in promises { promise.fail(error) }
            fail(context: context, error: error)
            return
        }
        let promise: EventLoopPromise<Void>?
        switch promises.count {
        case 0: promise = nil
        case 1: promise = promises[0]
        default:
            let joined = context.eventLoop.makePromise(of: Void.self)
            joined.futureResult.whenComplete { result in
                for promise in promises { promise.completeWith(result) }
            }
            promise = joined
        }
        let ciphertext = takeCiphertext(context: context) ?? context.channel.allocator.buffer(capacity: 0)
        context.write(wrapOutboundOut(ciphertext), promise: promise)
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode != .input, state == .active {
            // What was written goes out first; then close_notify, best effort (the peer's
            // answer is not waited for).
            encryptPending(context: context)
            SSL_shutdown(ssl)
            sendCiphertext(context: context, flush: true)
        }
        if mode != .input {
            if state == .idle || state == .handshaking { failHeldWrites(TLSError.closedDuringHandshake) }
            state = .closed
        }
        context.close(mode: mode, promise: promise)
    }

    // MARK: Helpers

    /// What OpenSSL has queued for the network, if anything.
    private func takeCiphertext(context: ChannelHandlerContext) -> ByteBuffer? {
        let pending = BIO_ctrl_pending(writeBIO)
        guard pending > 0 else { return nil }
        var buffer = context.channel.allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { space in
            Int(max(BIO_read(writeBIO, space.baseAddress, Int32(pending)), 0))
        }
        return buffer
    }

    private func sendCiphertext(context: ChannelHandlerContext, flush: Bool) {
        guard let ciphertext = takeCiphertext(context: context) else { return }
        if flush {
            context.writeAndFlush(wrapOutboundOut(ciphertext), promise: nil)
        } else {
            context.write(wrapOutboundOut(ciphertext), promise: nil)
        }
    }

    private func failHeldWrites(_ error: any Error) {
        let held = heldWrites
        heldWrites = []
        for (_, promise) in held { promise?.fail(error) }
    }

    private func failPendingWrites(_ error: any Error) {
        let promises = pendingPromises
        pendingPlaintext = nil
        pendingPromises = []
        for promise in promises { promise.fail(error) }
    }

    private func fail(context: ChannelHandlerContext, error: any Error) {
        guard state != .closed else { return }
        state = .closed
        failHeldWrites(error)
        failPendingWrites(error)
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}

/// Whether a host string is an IPv4 or IPv6 literal (no SNI for those, RFC 6066).
enum IPAddressText {
    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
