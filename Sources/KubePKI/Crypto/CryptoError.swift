import COpenSSL

/// What can go wrong below the certificate layer: a key or signature libcrypto refuses.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key that is not a supported (EC P-256 or P-384, or for verification also RSA) key.
    case unsupportedKey(String)
    /// Bytes that are not a key in the expected encoding.
    case malformedKey(String)
    /// libcrypto failed an operation that should not fail (out of memory and the like).
    case operationFailed(String)

    public var description: String {
        switch self {
        case .unsupportedKey(let reason): "unsupported key: \(reason)"
        case .malformedKey(let reason): "malformed key: \(reason)"
        case .operationFailed(let operation): "\(operation) failed: \(Self.drainErrors())"
        }
    }

    /// libcrypto's queued error text for this thread (emptied), or "unknown error".
    static func drainErrors() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }

    /// Fails with ``operationFailed(_:)`` unless `result` is libcrypto's success (1).
    static func check(_ result: Int32, _ operation: String) throws(CryptoError) {
        guard result == 1 else {
            ERR_clear_error()
            throw .operationFailed(operation)
        }
    }
}
