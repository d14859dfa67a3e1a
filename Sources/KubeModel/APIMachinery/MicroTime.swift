import Foundation

extension MetaV1 {
    /// `metav1.MicroTime`: an instant with microsecond precision, serialised as RFC 3339 in UTC with
    /// exactly six fraction digits (`"2024-01-02T03:04:05.123456Z"`).
    ///
    /// Decoding accepts any RFC 3339 offset and any number of fraction digits (including none); the
    /// fraction is truncated to microseconds.
    public struct MicroTime: Sendable, Hashable, Comparable {
        /// Microseconds since 1970-01-01T00:00:00Z.
        public var microsecondsSinceEpoch: Int64

        public init(microsecondsSinceEpoch: Int64) {
            self.microsecondsSinceEpoch = microsecondsSinceEpoch
        }

        /// Truncates `date` to whole microseconds (toward the past).
        public init(_ date: Date) {
            microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        }

        /// Widens a seconds-precision time.
        public init(_ time: Time) {
            microsecondsSinceEpoch = time.secondsSinceEpoch * 1_000_000
        }

        /// The current time, truncated to microseconds.
        public static func now() -> MicroTime { MicroTime(Date()) }

        public var date: Date { Date(timeIntervalSince1970: TimeInterval(microsecondsSinceEpoch) / 1_000_000) }

        /// The same instant truncated to whole seconds.
        public var time: Time {
            let (q, r) = microsecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000)
            return Time(secondsSinceEpoch: r < 0 ? q - 1 : q)
        }

        /// Parses RFC 3339 (any offset, optional fraction); nil if malformed.
        public init?(rfc3339 string: String) {
            guard let parsed = RFC3339.parse(string) else { return nil }
            microsecondsSinceEpoch = parsed.seconds * 1_000_000 + parsed.nanoseconds / 1000
        }

        /// `"2024-01-02T03:04:05.123456Z"`.
        public var rfc3339: String {
            let (q, r) = microsecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000)
            let seconds = r < 0 ? q - 1 : q
            let micros = r < 0 ? r + 1_000_000 : r
            return RFC3339.format(seconds: seconds, fraction: micros, fractionDigits: 6)
        }

        public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool {
            lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
        }
    }
}

extension MetaV1.MicroTime: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let parsed = MetaV1.MicroTime(rfc3339: string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid RFC 3339 time \"\(string)\"")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

extension MetaV1.MicroTime: CustomStringConvertible {
    public var description: String { rfc3339 }
}
