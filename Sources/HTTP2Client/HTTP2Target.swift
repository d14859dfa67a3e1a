/// Where an ``HTTP2Connection`` connects: TCP (plaintext or TLS) or a Unix domain socket.
public enum HTTP2Target: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unixDomainSocket(path: String)

    /// The default `:authority`: `host:port` (IPv6 literals in brackets), or `localhost` for a
    /// socket path (as grpc-go does).
    public var defaultAuthority: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixDomainSocket: "localhost"
        }
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixDomainSocket(let path): "unix:\(path)"
        }
    }
}
