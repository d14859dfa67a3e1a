import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP2
import NIOTLS
import OpenSSLTLS

/// One accepted connection of the API server: TLS (OpenSSL), then HTTP/2 or HTTP/1.1 as ALPN
/// decides (`h2` preferred, HTTP/1.1 when the client offers nothing else), each request answered
/// by the API responder. An HTTP/2 connection asked to quiesce (server shutdown) is closed.
///
/// HTTP/1.1 goes through Hummingbird's connection handling. HTTP/2 streams do not: the frames of
/// every stream are handled by one handler of the connection (``HTTP2ServerStreamTable``),
/// which collects each request whole for a task of the connection (``HTTP2StreamServer``) to
/// answer, with no child channel per stream.
struct SecureHTTPChannel: HTTPChannelHandler {
    /// An HTTP/2 connection's requests, each whole, in the order their streams ended.
    typealias HTTP2Requests = AsyncStream<HTTP2StreamRequest>
    typealias Negotiated = NIONegotiatedHTTPVersion<HTTP1Channel.Value, HTTP2Requests>

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    /// ALPN protocols in the server's preference order.
    static let applicationProtocols = ["h2", "http/1.1"]

    /// Streams per HTTP/2 connection (kube-apiserver's `--http2-max-streams-per-connection`
    /// default): informers keep one watch stream open per resource on a shared connection.
    static let maxConcurrentStreams = 1000

    /// The same bound as Hummingbird's HTTP/1.1 default.
    static let maxHeaderListSize = 80 * 1024

    let tls: TLSContext
    let responder: Responder
    private let http1: HTTP1Channel
    private let http2: HTTP2StreamServer

    init(tls: TLSContext, responder: @escaping Responder, api: APIResponder) {
        self.tls = tls
        self.responder = responder
        self.http1 = HTTP1Channel(responder: responder)
        self.http2 = HTTP2StreamServer(responder: api)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let http1 = http1
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(TLSHandler(context: tls))
            let negotiation = NIOTypedApplicationProtocolNegotiationHandler<Negotiated> { result, channel in
                switch result {
                case .negotiated("h2"):
                    return Self.configureHTTP2(channel: channel).map { .http2($0) }
                case .negotiated("http/1.1"), .fallback:
                    return http1.setup(channel: channel, logger: logger).map { .http1_1($0) }
                case .negotiated:
                    return channel.close().flatMapThrowing { throw NIOHTTP2Errors.invalidALPNToken() }
                }
            }
            try pipeline.addHandler(negotiation)
            return Value(negotiated: negotiation.protocolNegotiationResult, channel: channel)
        }
    }

    private static func configureHTTP2(channel: any Channel) -> EventLoopFuture<HTTP2Requests> {
        channel.eventLoop.makeCompletedFuture {
            var configuration = NIOHTTP2Handler.Configuration()
            configuration.connection.initialSettings = [
                HTTP2Setting(parameter: .maxConcurrentStreams, value: maxConcurrentStreams),
                HTTP2Setting(parameter: .maxHeaderListSize, value: maxHeaderListSize),
            ]
            // HTTP/1.1 connections quiesce in Hummingbird's own handler.
            try channel.pipeline.syncOperations.addHandler(QuiesceCloseHandler())
            let (requests, continuation) = HTTP2Requests.makeStream()
            // The requests end with the connection.
            channel.closeFuture.whenComplete { _ in continuation.finish() }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(NIOHTTP2Handler(
                mode: .server, connectionConfiguration: configuration.connection,
                streamConfiguration: configuration.stream))
            try pipeline.addHandler(HTTP2ServerStreamTable(
                requests: continuation, bodyLimit: APIResponder.maxBodySize,
                targetWindow: configuration.connection.targetWindowSize))
            return requests
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http1_1(let connection):
                await http1.handle(value: connection, logger: logger)
            case .http2(let requests):
                await http2.serve(requests, logger: logger)
            }
        } catch {
            logger.debug("connection ended: \(error)")
        }
    }
}

/// Closes a connection when the server asks it to quiesce, so shutdown does not wait for
/// clients' long-running watches.
final class QuiesceCloseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
