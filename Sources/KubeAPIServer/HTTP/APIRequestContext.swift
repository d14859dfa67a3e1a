import Hummingbird
import NIOCore

/// The Hummingbird request context of the API server: keeps the channel the request came on,
/// so the TLS client certificate of the connection can be read.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request's channel: the TLS connection (HTTP/1.1) or an HTTP/2 stream whose parent is.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// Upstream's limit for request bodies.
    public var maxUploadSize: Int { APIResponder.maxBodySize }
}
