import Hummingbird
import NIOCore

/// The Hummingbird request context of the API server: keeps the connection the request came on,
/// so the TLS client certificate of the connection can be read.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request's connection (its TLS handler knows the client's certificate).
    public let channel: any Channel
    /// Fires when an HTTP/2 request's stream closes (nil for HTTP/1.1, whose connection is the
    /// request's).
    public var streamClosed: ConnectionClosedSignal?
    /// The client of an HTTP/2 request's connection (nil for HTTP/1.1: read from `channel`).
    var peer: ConnectionPeer?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// Upstream's limit for request bodies.
    public var maxUploadSize: Int { APIResponder.maxBodySize }
}
