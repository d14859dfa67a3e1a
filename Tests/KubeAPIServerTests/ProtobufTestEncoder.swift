/// A minimal protobuf writer for building test fixtures by hand: `.string(1, "x").message(2, …)`.
struct ProtobufTestEncoder {
    private(set) var bytes: [UInt8] = []

    init() {}

    init(rawBytes: [UInt8]) { bytes = rawBytes }

    static func varintBytes(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    private func appending(_ more: [UInt8]) -> Self {
        var copy = self
        copy.bytes += more
        return copy
    }

    private static func key(_ field: Int, _ wireType: UInt8) -> [UInt8] {
        varintBytes(UInt64(field) << 3 | UInt64(wireType))
    }

    func varint(_ field: Int, _ value: UInt64) -> Self {
        appending(Self.key(field, 0) + Self.varintBytes(value))
    }

    /// int32/int64 (negative values as 10-byte two's complement, as Go writes them).
    func int(_ field: Int, _ value: Int64) -> Self { varint(field, UInt64(bitPattern: value)) }

    func bool(_ field: Int, _ value: Bool) -> Self { varint(field, value ? 1 : 0) }

    func fixed64(_ field: Int, _ value: UInt64) -> Self {
        appending(Self.key(field, 1) + (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) })
    }

    func double(_ field: Int, _ value: Double) -> Self { fixed64(field, value.bitPattern) }

    func lengthDelimited(_ field: Int, _ payload: [UInt8]) -> Self {
        appending(Self.key(field, 2) + Self.varintBytes(UInt64(payload.count)) + payload)
    }

    func string(_ field: Int, _ value: String) -> Self { lengthDelimited(field, Array(value.utf8)) }

    func bytes(_ field: Int, _ value: [UInt8]) -> Self { lengthDelimited(field, value) }

    func message(_ field: Int, _ value: ProtobufTestEncoder) -> Self { lengthDelimited(field, value.bytes) }

    /// `map<string, string>` entry.
    func entry(_ field: Int, _ key: String, _ value: String) -> Self {
        message(field, ProtobufTestEncoder().string(1, key).string(2, value))
    }

    /// `map<string, bytes>` entry.
    func entry(_ field: Int, _ key: String, bytes value: [UInt8]) -> Self {
        message(field, ProtobufTestEncoder().string(1, key).bytes(2, value))
    }

    /// `map<string, Message>` entry.
    func entry(_ field: Int, _ key: String, _ value: ProtobufTestEncoder) -> Self {
        message(field, ProtobufTestEncoder().string(1, key).message(2, value))
    }

    /// `k8s\0` + runtime.Unknown {typeMeta 1, raw 2, contentEncoding 3, contentType 4}, as client-go writes it.
    static func envelope(apiVersion: String, kind: String, _ object: ProtobufTestEncoder) -> [UInt8] {
        [0x6B, 0x38, 0x73, 0x00] + ProtobufTestEncoder()
            .message(1, ProtobufTestEncoder().string(1, apiVersion).string(2, kind))
            .message(2, object)
            .string(3, "")
            .string(4, "")
            .bytes
    }

    /// Bytes from the hex dump kubectl -v=9 prints (`6b 38 73 00 …`).
    static func hex(_ text: String) -> [UInt8] {
        text.split(separator: " ").map { UInt8($0, radix: 16)! }
    }
}
