import OpenSSLTLS

/// TLS for an ``HTTP2Connection``: the client context (trust roots, client certificate, ALPN
/// `h2`) and the name the server's certificate must carry.
public struct HTTP2TLS: Sendable {
    public var context: TLSContext
    /// SNI and the name checked against the server certificate; nil checks the chain only.
    public var serverHostname: String?

    public init(context: TLSContext, serverHostname: String?) {
        self.context = context
        self.serverHostname = serverHostname
    }
}
