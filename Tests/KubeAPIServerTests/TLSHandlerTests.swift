import Foundation
import KubeAPIServer
import NIOCore
import NIOEmbedded
import NIOTLS
import OpenSSLTLS
import Testing

/// OpenSSLTLS's handler between two in-memory channels (bytes pumped from one to the other):
/// ALPN, client certificates, server name and chain checks, data both ways, writes held during
/// the handshake. The certificates are the ones `skiff server` makes (ClusterPKI).
@Suite struct TLSHandlerTests {
    /// Records the handshake event the handler fires.
    final class HandshakeRecorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        var negotiated: String??

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted(let negotiatedProtocol) = event as? TLSUserEvent {
                negotiated = .some(negotiatedProtocol)
            }
            context.fireUserInboundEventTriggered(event)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.fireChannelRead(data)
        }
    }

    struct Credentials {
        let ca: [UInt8]
        let servingCertificate: [UInt8]
        let servingKey: [UInt8]
        let adminCertificate: [UInt8]
        let adminKey: [UInt8]
        let adminDER: [UInt8]

        init(hostnames: [String] = []) throws {
            let temp = try TemporaryDirectory()
            defer { temp.remove() }
            let pki = try ClusterPKI.loadOrCreate(directory: temp.url, hostnames: hostnames)
            func read(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
            ca = try read(pki.files(.certificateAuthority).certificate)
            servingCertificate = try read(pki.files(.serving).certificate)
            servingKey = try read(pki.files(.serving).key)
            adminCertificate = try read(pki.files(.admin).certificate)
            adminKey = try read(pki.files(.admin).key)
            adminDER = pki.admin.certificateDER
        }
    }

    /// A connected client/server pair over two embedded channels.
    struct Pair {
        let client: EmbeddedChannel
        let server: EmbeddedChannel
        let clientTLS: TLSHandler
        let serverTLS: TLSHandler
        let clientEvents = HandshakeRecorder()
        let serverEvents = HandshakeRecorder()

        init(client: TLSContext, server: TLSContext, serverHostname: String? = "localhost") throws {
            clientTLS = try TLSHandler(context: client, serverHostname: serverHostname)
            serverTLS = try TLSHandler(context: server)
            self.client = EmbeddedChannel()
            self.server = EmbeddedChannel()
            try self.client.pipeline.syncOperations.addHandlers([clientTLS, clientEvents])
            try self.server.pipeline.syncOperations.addHandlers([serverTLS, serverEvents])
        }

        /// Connects both and moves bytes until neither side has anything more to send.
        func run() throws {
            try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try pump()
        }

        /// Runs both loops' queued tasks (the handlers' deferred flushes) and moves bytes until
        /// neither side has anything more to send.
        func pump() throws {
            var moved = true
            while moved {
                moved = false
                client.embeddedEventLoop.run()
                server.embeddedEventLoop.run()
                while let bytes = try client.readOutbound(as: ByteBuffer.self) {
                    try server.writeInbound(bytes)
                    moved = true
                }
                while let bytes = try server.readOutbound(as: ByteBuffer.self) {
                    try client.writeInbound(bytes)
                    moved = true
                }
            }
        }

        static func received(_ channel: EmbeddedChannel) throws -> [UInt8] {
            var all: [UInt8] = []
            while let buffer = try channel.readInbound(as: ByteBuffer.self) { all += buffer.readableBytesView }
            return all
        }
    }

    static let credentials = Result { try Credentials(hostnames: ["node-a"]) }

    func serverContext(_ c: Credentials, protocols: [String] = ["h2", "http/1.1"]) throws -> TLSContext {
        try .server(certificateChainPEM: c.servingCertificate, privateKeyPEM: c.servingKey,
                    clientTrustRootsPEM: c.ca, clientVerification: .ifPresented, applicationProtocols: protocols)
    }

    @Test(arguments: [
        // (client offers, negotiated): the server prefers h2; no ALPN falls back (nil).
        (["h2", "http/1.1"], "h2"),
        (["http/1.1", "h2"], "h2"),
        (["http/1.1"], "http/1.1"),
        ([], nil),
        (["spdy/3.1"], nil),
    ] as [([String], String?)])
    func alpnFollowsTheServersPreference(offered: [String], expected: String?) throws {
        let c = try Self.credentials.get()
        let pair = try Pair(client: .client(trustRootsPEM: c.ca, applicationProtocols: offered), server: serverContext(c))
        try pair.run()
        #expect(pair.clientEvents.negotiated == .some(expected))
        #expect(pair.serverEvents.negotiated == .some(expected))
        #expect(pair.serverTLS.negotiatedProtocol == expected)
    }

    @Test func clientCertificateReachesTheServer() throws {
        let c = try Self.credentials.get()
        let withCertificate = try Pair(
            client: .client(trustRootsPEM: c.ca, certificateChainPEM: c.adminCertificate, privateKeyPEM: c.adminKey),
            server: serverContext(c))
        try withCertificate.run()
        #expect(withCertificate.serverTLS.peerCertificateDER == c.adminDER)

        let without = try Pair(client: .client(trustRootsPEM: c.ca), server: serverContext(c))
        try without.run()
        #expect(without.serverEvents.negotiated != nil)
        #expect(without.serverTLS.peerCertificateDER == nil)
        #expect(without.clientTLS.peerCertificateDER != nil)
    }

    @Test func dataFlowsBothWaysIncludingWritesMadeDuringTheHandshake() throws {
        let c = try Self.credentials.get()
        let pair = try Pair(client: .client(trustRootsPEM: c.ca, applicationProtocols: ["h2"]), server: serverContext(c))
        let early = Array("written before the handshake".utf8)
        try pair.server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try pair.client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        // Held until the handshake is done, so not waited for here.
        let written = pair.client.writeAndFlush(ByteBuffer(bytes: early))
        try pair.pump()
        try written.wait()
        #expect(try Pair.received(pair.server) == early)

        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let down = pair.server.writeAndFlush(ByteBuffer(bytes: big))
        try pair.pump()
        try down.wait()
        #expect(try Pair.received(pair.client) == big)
        let up = pair.client.writeAndFlush(ByteBuffer(bytes: big))
        try pair.pump()
        try up.wait()
        #expect(try Pair.received(pair.server) == big)
    }

    /// The three writes of an HTTP/2 response, flushed one by one by tasks of the same batch,
    /// leave as one write holding one TLS record, once the loop runs the deferred flush.
    @Test func flushesOfOneBatchOfTasksLeaveAsOneRecord() throws {
        let c = try Self.credentials.get()
        let pair = try Pair(client: .client(trustRootsPEM: c.ca, applicationProtocols: ["h2"]), server: serverContext(c))
        try pair.run()
        let parts = ["HEADERS", "DATA header", "DATA payload"].map { Array($0.utf8) }
        var promises: [EventLoopFuture<Void>] = []
        for part in parts {
            promises.append(pair.server.write(ByteBuffer(bytes: part)))
            pair.server.flush()
        }
        #expect(try pair.server.readOutbound(as: ByteBuffer.self) == nil)
        pair.server.embeddedEventLoop.run()
        let record = try #require(try pair.server.readOutbound(as: ByteBuffer.self))
        #expect(try pair.server.readOutbound(as: ByteBuffer.self) == nil)
        // One application-data record: type 23, and its length covers the whole write.
        let header = Array(record.readableBytesView.prefix(5))
        #expect(header[0] == 23)
        #expect(Int(header[3]) << 8 | Int(header[4]) == record.readableBytes - 5)
        for promise in promises { try promise.wait() }
        try pair.client.writeInbound(record)
        #expect(try Pair.received(pair.client) == parts.flatMap { $0 })
    }

    /// Closing right after a flush, before the loop ran the deferred flush, still sends what
    /// was written, ahead of the close_notify.
    @Test func closeSendsWhatWasFlushedFirst() throws {
        let c = try Self.credentials.get()
        let pair = try Pair(client: .client(trustRootsPEM: c.ca, applicationProtocols: ["h2"]), server: serverContext(c))
        try pair.run()
        let last = Array("the last response".utf8)
        let written = pair.server.writeAndFlush(ByteBuffer(bytes: last))
        _ = pair.server.close()
        while let bytes = try pair.server.readOutbound(as: ByteBuffer.self) {
            try pair.client.writeInbound(bytes)
        }
        pair.server.embeddedEventLoop.run()
        try written.wait()
        #expect(try Pair.received(pair.client) == last)
    }

    @Test(arguments: [
        // (server name the client checks, accepted)
        ("localhost", true), ("node-a", true), ("127.0.0.1", true), ("other.example", false), ("192.0.2.99", false),
    ])
    func serverNameIsChecked(name: String, accepted: Bool) throws {
        let c = try Self.credentials.get()
        let pair = try Pair(client: .client(trustRootsPEM: c.ca), server: serverContext(c), serverHostname: name)
        if accepted {
            try pair.run()
            #expect(pair.clientEvents.negotiated != nil)
        } else {
            #expect(throws: TLSError.self) { try pair.run() }
            #expect(pair.clientEvents.negotiated == nil)
        }
    }

    @Test func untrustedPeersFailTheHandshake() throws {
        let c = try Self.credentials.get()
        let foreign = try Credentials()
        // The client trusts another CA.
        let untrustedServer = try Pair(client: .client(trustRootsPEM: foreign.ca), server: serverContext(c))
        #expect(throws: TLSError.self) { try untrustedServer.run() }
        // Verification off (insecure-skip-tls-verify) connects anyway.
        let insecure = try Pair(client: .client(trustRootsPEM: foreign.ca, serverVerification: .none), server: serverContext(c))
        try insecure.run()
        #expect(insecure.clientEvents.negotiated != nil)
        // A client certificate from another CA is refused rather than ignored.
        let foreignClient = try Pair(
            client: .client(trustRootsPEM: c.ca, certificateChainPEM: foreign.adminCertificate, privateKeyPEM: foreign.adminKey),
            server: serverContext(c))
        #expect(throws: (any Error).self) { try foreignClient.run() }
        #expect(foreignClient.serverTLS.peerCertificateDER == nil)
    }

    @Test func badConfigurationIsAnError() throws {
        #expect(throws: TLSError.self) { try TLSContext.client(trustRootsPEM: Array("not a certificate".utf8)) }
        let c = try Self.credentials.get()
        let other = try Credentials()
        #expect(throws: TLSError.self) {
            try TLSContext.server(certificateChainPEM: c.servingCertificate, privateKeyPEM: other.servingKey)
        }
    }
}
