import Foundation

/// Failures while creating, loading or checking the cluster's certificates.
public enum PKIError: Error, Equatable, CustomStringConvertible {
    /// A file exists but could not be parsed as the expected PEM document.
    case unreadableFile(path: String, reason: String)
    /// An IP address string (SAN or service IP) is neither IPv4 nor IPv6.
    case invalidIPAddress(String)
    /// A certificate and the private key stored next to it do not belong together.
    case keyMismatch(path: String)
    /// A filesystem operation failed.
    case fileSystem(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .invalidIPAddress(let address): "invalid IP address \"\(address)\""
        case .keyMismatch(let path): "the private key in \(path) does not match its certificate"
        case .fileSystem(let path, let code): "\(path): \(String(cString: strerror(code)))"
        }
    }
}
