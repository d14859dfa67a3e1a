import Foundation

extension MetaV1 {
    /// `metav1.Time`: an instant with one-second precision, serialised as RFC 3339 in UTC
    /// (`"2024-01-02T03:04:05Z"`).
    ///
    /// Decoding accepts any RFC 3339 offset and fractional seconds; the fraction is truncated to whole
    /// seconds, as upstream's wire format does. JSON `null` is handled by making the property optional.
    public struct Time: Sendable, Hashable, Comparable {
        /// Whole seconds since 1970-01-01T00:00:00Z.
        public var secondsSinceEpoch: Int64

        public init(secondsSinceEpoch: Int64) {
            self.secondsSinceEpoch = secondsSinceEpoch
        }

        /// Truncates `date` to whole seconds (toward the past).
        public init(_ date: Date) {
            secondsSinceEpoch = Int64(date.timeIntervalSince1970.rounded(.down))
        }

        /// The current time, truncated to seconds.
        public static func now() -> Time { Time(Date()) }

        public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }

        /// Parses RFC 3339 (any offset, optional fraction); nil if malformed.
        public init?(rfc3339 string: String) {
            guard let parsed = RFC3339.parse(string) else { return nil }
            secondsSinceEpoch = parsed.seconds
        }

        /// `"2024-01-02T03:04:05Z"`.
        public var rfc3339: String { RFC3339.format(seconds: secondsSinceEpoch) }

        public static func < (lhs: Time, rhs: Time) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

        /// This time moved by `seconds`.
        public func adding(seconds: Int64) -> Time { Time(secondsSinceEpoch: secondsSinceEpoch + seconds) }
    }
}

extension MetaV1.Time: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let parsed = RFC3339.parse(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid RFC 3339 time \"\(string)\"")
        }
        secondsSinceEpoch = parsed.seconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

extension MetaV1.Time: CustomStringConvertible {
    public var description: String { rfc3339 }
}
