import COpenSSL

/// What went wrong in TLS set-up or on a connection.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Certificates, keys or options OpenSSL would not take.
    case configuration(String)
    /// The handshake failed (bad certificate, no shared protocol, …).
    case handshakeFailed(String)
    /// A record could not be read or written after the handshake.
    case connectionFailed(String)
    /// The connection closed before the handshake finished.
    case closedDuringHandshake

    public var description: String {
        switch self {
        case .configuration(let message): "TLS configuration: \(message)"
        case .handshakeFailed(let message): "TLS handshake failed: \(message)"
        case .connectionFailed(let message): "TLS connection failed: \(message)"
        case .closedDuringHandshake: "TLS connection closed during the handshake"
        }
    }
}

/// OpenSSL's thread-local error queue as text.
enum OpenSSLErrors {
    /// Empties the queue into one message (`prefix: reason; reason`).
    static func drain(prefix: String) -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? prefix : "\(prefix): " + reasons.joined(separator: "; ")
    }
}
