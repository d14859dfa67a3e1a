import NIOHPACK

/// A failed gRPC call: the server's non-OK status (`grpc-status`, `grpc-message`), or a status the
/// client assigns to a transport failure (`unavailable` when the connection cannot be made or is
/// lost, `internal` for a malformed response, `cancelled` when the server resets the stream).
public struct GRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: GRPCStatusCode
    public var message: String

    public init(code: GRPCStatusCode, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The status carried by trailers (or a trailers-only response): `nil` for OK, an error for any
    /// other code, and `internal` when `grpc-status` is missing or malformed.
    static func status(fromTrailers trailers: HPACKHeaders) -> GRPCError? {
        guard let raw = trailers.first(name: "grpc-status") else {
            if let http = trailers.first(name: ":status").flatMap(Int.init), http != 200 {
                return GRPCError(code: .forHTTPStatus(http), message: "HTTP status \(http) without grpc-status")
            }
            return GRPCError(code: .internal, message: "the response carries no grpc-status")
        }
        guard let value = Int(raw), let code = GRPCStatusCode(rawValue: value) else {
            return GRPCError(code: .unknown, message: "invalid grpc-status '\(raw)'")
        }
        if code == .ok { return nil }
        return GRPCError(code: code, message: percentDecoded(trailers.first(name: "grpc-message") ?? ""))
    }

    /// Decodes `grpc-message`'s percent-encoding; malformed escapes are kept as they are.
    static func percentDecoded(_ value: String) -> String {
        var utf8 = Array(value.utf8)[...]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
