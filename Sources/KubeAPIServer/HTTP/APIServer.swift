import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OpenSSLTLS
import ServiceLifecycle

/// The Kubernetes REST API over HTTPS (HTTP/2 and HTTP/1.1 by ALPN): a swift-service-lifecycle
/// `Service` that runs until graceful shutdown.
public struct APIServer: Service {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var pki: ClusterPKI
        public var tokens: TokenFile
        public var serviceAccounts: ServiceAccountTokenAuthenticator?
        public var version: ServerVersion

        public init(host: String = "0.0.0.0", port: Int = 6443, pki: ClusterPKI,
                    tokens: TokenFile = TokenFile(), serviceAccounts: ServiceAccountTokenAuthenticator? = nil,
                    version: ServerVersion) {
            self.host = host
            self.port = port
            self.pki = pki
            self.tokens = tokens
            self.serviceAccounts = serviceAccounts
            self.version = version
        }
    }

    public let configuration: Configuration
    private let responder: APIResponder
    private let onListening: @Sendable (Int) async -> Void
    private let logger: Logger

    public init(configuration: Configuration, handler: any ResourceRequestHandler,
                isReady: @escaping @Sendable () -> Bool = { true },
                onListening: @escaping @Sendable (Int) async -> Void = { _ in },
                logger: Logger = Logger(label: "skiff.apiserver")) {
        self.configuration = configuration
        self.responder = APIResponder(
            authenticator: RequestAuthenticator(
                certificates: configuration.pki.clientAuthenticator, tokens: configuration.tokens,
                serviceAccounts: configuration.serviceAccounts),
            handler: handler, version: configuration.version, isReady: isReady)
        self.onListening = onListening
        self.logger = logger
    }

    /// Server certificate and key from the cluster PKI; client certificates are verified against
    /// the cluster CA when presented (optional, so that token clients connect too); ALPN `h2`
    /// then `http/1.1`.
    public static func tlsContext(pki: ClusterPKI) throws -> TLSContext {
        try TLSContext.server(
            certificateChainPEM: Array(pki.serving.certificatePEM.utf8),
            privateKeyPEM: Array(pki.serving.privateKeyPEM.utf8),
            clientTrustRootsPEM: Array(pki.authority.credentials.certificatePEM.utf8),
            clientVerification: .ifPresented,
            applicationProtocols: SecureHTTPChannel.applicationProtocols)
    }

    public func run() async throws {
        let tls = try Self.tlsContext(pki: configuration.pki)
        let onListening = self.onListening
        let api = responder
        let app = Application(
            responder: responder,
            server: HTTPServerBuilder { responder in SecureHTTPChannel(tls: tls, responder: responder, api: api) },
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        try await app.run()
    }
}
