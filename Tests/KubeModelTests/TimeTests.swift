import Foundation
import Testing
@testable import KubeModel

@Suite struct TimeTests {
    // Upstream time_test.go TestTimeMarshalJSON / TestTimeUnmarshalJSON facts, plus offsets and fractions.
    @Test(arguments: [
        ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
        ("1998-05-05T05:05:05Z", "1998-05-05T05:05:05Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("2024-01-02T03:04:05.999999999Z", "2024-01-02T03:04:05Z"),
        ("2024-01-02T03:04:05.5+01:00", "2024-01-02T02:04:05Z"),
        ("2024-01-02T00:30:00-05:30", "2024-01-02T06:00:00Z"),
        ("2024-01-01T00:00:00+01:00", "2023-12-31T23:00:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("2000-03-01T00:00:00z", "2000-03-01T00:00:00Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("2024-01-02t03:04:05Z", "2024-01-02T03:04:05Z"),
    ])
    func timeRoundTrip(_ input: String, _ expect: String) throws {
        let t = try #require(MetaV1.Time(rfc3339: input))
        #expect(t.rfc3339 == expect)
        let decoded = try JSONDecoder().decode(MetaV1.Time.self, from: Data("\"\(input)\"".utf8))
        #expect(decoded == t)
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == "\"\(expect)\"")
    }

    @Test(arguments: [
        "", "2024-01-02", "2024-01-02T03:04:05", "2024-13-02T03:04:05Z", "2023-02-29T03:04:05Z",
        "2024-01-32T03:04:05Z", "2024-01-02T24:00:00Z", "2024-01-02T03:60:05Z", "2024-01-02T03:04:60Z",
        "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05+0100", "2024-01-02 03:04:05Z", "24-01-02T03:04:05Z",
        "2024-01-02T03:04:05Zjunk", "2024-01-02T03:04:05+01:00:00", "abcd-01-02T03:04:05Z",
    ])
    func rejectsMalformed(_ input: String) {
        #expect(MetaV1.Time(rfc3339: input) == nil)
        #expect(MetaV1.MicroTime(rfc3339: input) == nil)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MetaV1.Time.self, from: Data("\"\(input)\"".utf8))
        }
    }

    @Test func timeBasics() throws {
        let t = MetaV1.Time(secondsSinceEpoch: 1_704_164_645)
        #expect(t.rfc3339 == "2024-01-02T03:04:05Z")
        #expect(t.date == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(MetaV1.Time(Date(timeIntervalSince1970: 1_704_164_645.9)) == t)
        #expect(MetaV1.Time(Date(timeIntervalSince1970: -0.5)).secondsSinceEpoch == -1)
        #expect(t < t.adding(seconds: 1))
        let now = MetaV1.Time.now()
        #expect(abs(now.date.timeIntervalSinceNow) < 5)
        struct Holder: Codable { var t: MetaV1.Time? }
        #expect(try JSONDecoder().decode(Holder.self, from: Data(#"{"t":null}"#.utf8)).t == nil)
        #expect(String(decoding: try JSONEncoder().encode(Holder(t: nil)), as: UTF8.self) == "{}")
    }

    // Upstream micro_time_test.go facts: six fraction digits, UTC.
    @Test(arguments: [
        ("2024-01-02T03:04:05.123456Z", "2024-01-02T03:04:05.123456Z"),
        ("1998-05-05T05:05:05.000000Z", "1998-05-05T05:05:05.000000Z"),
        ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000000Z"),
        ("2024-01-02T03:04:05.1Z", "2024-01-02T03:04:05.100000Z"),
        ("2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.123456Z"),
        ("2024-01-02T03:04:05.000001-01:00", "2024-01-02T04:04:05.000001Z"),
        ("1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"),
    ])
    func microTimeRoundTrip(_ input: String, _ expect: String) throws {
        let t = try #require(MetaV1.MicroTime(rfc3339: input))
        #expect(t.rfc3339 == expect)
        let decoded = try JSONDecoder().decode(MetaV1.MicroTime.self, from: Data("\"\(input)\"".utf8))
        #expect(decoded == t)
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == "\"\(expect)\"")
    }

    @Test func microTimeBasics() {
        let m = MetaV1.MicroTime(microsecondsSinceEpoch: 1_704_164_645_123_456)
        #expect(m.rfc3339 == "2024-01-02T03:04:05.123456Z")
        #expect(m.time.rfc3339 == "2024-01-02T03:04:05Z")
        #expect(MetaV1.MicroTime(m.time).rfc3339 == "2024-01-02T03:04:05.000000Z")
        #expect(MetaV1.MicroTime(microsecondsSinceEpoch: -1).time.secondsSinceEpoch == -1)
        #expect(m < MetaV1.MicroTime(microsecondsSinceEpoch: m.microsecondsSinceEpoch + 1))
        #expect(abs(MetaV1.MicroTime.now().date.timeIntervalSinceNow) < 5)
    }

    /// Civil-date conversion agrees with Foundation (which is Julian before 1582, hence the range).
    @Test func civilConversionMatchesFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for days in stride(from: Int64(-140_000), through: 2_900_000, by: 997) {
            let date = Date(timeIntervalSince1970: TimeInterval(days * 86_400))
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let (y, m, d) = RFC3339.civilFromDays(days)
            #expect(Int(y) == c.year && Int(m) == c.month && Int(d) == c.day)
            #expect(RFC3339.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }

    /// Format → parse → format over 100,000 consecutive instants gives back the same text.
    /// (Its speed is not a test's business; it stays allocation-free by construction.)
    @Test func formattingRoundTripsOverManyInstants() {
        for i in 0..<100_000 {
            let time = MetaV1.Time(secondsSinceEpoch: Int64(1_700_000_000 + i))
            let text = time.rfc3339
            #expect(text.utf8.count == 20)
            #expect(MetaV1.Time(rfc3339: text) == time)
            if MetaV1.Time(rfc3339: text) != time { return }
        }
    }
}
