/// How a ``RESTClient`` reaches and authenticates to an API server (client-go's `rest.Config`).
public struct RESTConfig: Sendable {
    public var host: String
    public var port: Int
    public var useTLS: Bool
    /// PEM of the CA that signs the server's certificate; nil trusts the system roots.
    public var certificateAuthorityPEM: [UInt8]?
    public var insecureSkipTLSVerify = false
    /// The name checked against the server certificate (default: the host).
    public var tlsServerName: String?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var bearerToken: String?
    /// The context's default namespace, if it names one.
    public var namespace: String?
    /// Client-side rate limit: `qps` requests per second with bursts of `burst` (client-go's
    /// defaults are 5 and 10; Skiff's own components raise them, as k3s does).
    public var qps: Double = 5
    public var burst = 10
    /// Retries of a request that got 429/5xx with Retry-After or never reached the server.
    public var maxRetries = 10
    public var userAgent = "skiff-client"

    public init(host: String, port: Int, useTLS: Bool = true) {
        self.host = host
        self.port = port
        self.useTLS = useTLS
    }
}
