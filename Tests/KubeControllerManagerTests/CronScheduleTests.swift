import Foundation
@testable import KubeControllerManager
import Testing

@Suite struct CronScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    struct NextCase: Sendable, CustomTestStringConvertible {
        var schedule: String
        var after: String
        var zone = "UTC"
        var want: String
        var testDescription: String { "\(schedule) after \(after) in \(zone)" }
    }

    // 2016-05-19 is a Thursday (upstream's topOfTheHour).
    static let nextCases: [NextCase] = [
        NextCase(schedule: "* * * * *", after: "2016-05-19T10:00:00Z", want: "2016-05-19T10:01:00Z"),
        NextCase(schedule: "* * * * ?", after: "2016-05-19T10:00:30Z", want: "2016-05-19T10:01:00Z"),
        NextCase(schedule: "0 * * * *", after: "2016-05-19T10:00:00Z", want: "2016-05-19T11:00:00Z"),
        NextCase(schedule: "*/5 * * * *", after: "2016-05-19T10:31:00Z", want: "2016-05-19T10:35:00Z"),
        NextCase(schedule: "30 6-16/4 * * 1-5", after: "2016-05-19T10:30:00Z", want: "2016-05-19T14:30:00Z"),
        NextCase(schedule: "30 6-16/4 * * 1-5", after: "2016-05-20T14:30:00Z", want: "2016-05-23T06:30:00Z"),
        NextCase(schedule: "0 12 * * 4", after: "2016-05-19T12:00:00Z", want: "2016-05-26T12:00:00Z"),
        NextCase(schedule: "0 0 13 * 5", after: "2016-05-19T10:00:00Z", want: "2016-05-20T00:00:00Z"),
        NextCase(schedule: "0 0 13 * *", after: "2016-05-19T10:00:00Z", want: "2016-06-13T00:00:00Z"),
        NextCase(schedule: "0 0 * * SUN", after: "2016-05-19T10:00:00Z", want: "2016-05-22T00:00:00Z"),
        NextCase(schedule: "0 0 * * 7", after: "2016-05-19T10:00:00Z", want: "2016-05-22T00:00:00Z"),
        NextCase(schedule: "0 0 1 jan-mar *", after: "2016-05-19T10:00:00Z", want: "2017-01-01T00:00:00Z"),
        NextCase(schedule: "0 0 29 2 *", after: "2016-05-19T10:00:00Z", want: "2020-02-29T00:00:00Z"),
        NextCase(schedule: "@hourly", after: "2016-05-19T10:00:01Z", want: "2016-05-19T11:00:00Z"),
        NextCase(schedule: "@daily", after: "2016-05-19T10:00:00Z", want: "2016-05-20T00:00:00Z"),
        NextCase(schedule: "@midnight", after: "2016-05-19T10:00:00Z", want: "2016-05-20T00:00:00Z"),
        NextCase(schedule: "@weekly", after: "2016-05-19T10:00:00Z", want: "2016-05-22T00:00:00Z"),
        NextCase(schedule: "@monthly", after: "2016-05-19T10:00:00Z", want: "2016-06-01T00:00:00Z"),
        NextCase(schedule: "@yearly", after: "2016-05-19T10:00:00Z", want: "2017-01-01T00:00:00Z"),
        NextCase(schedule: "@annually", after: "2016-05-19T10:00:00Z", want: "2017-01-01T00:00:00Z"),
        NextCase(schedule: "@every 1h30m", after: "2016-05-19T10:00:00Z", want: "2016-05-19T11:30:00Z"),
        // Time zones: the fields are read in the zone.
        NextCase(schedule: "0 9 * * *", after: "2016-05-19T10:00:00Z", zone: "America/New_York", want: "2016-05-19T13:00:00Z"),
        NextCase(schedule: "0 0 * * *", after: "2016-05-19T10:00:00Z", zone: "Europe/Rome", want: "2016-05-19T22:00:00Z"),
        NextCase(schedule: "TZ=Asia/Tokyo 0 9 * * *", after: "2016-05-19T10:00:00Z", want: "2016-05-20T00:00:00Z"),
        NextCase(schedule: "30 5 * * *", after: "2016-05-19T10:00:00Z", zone: "Asia/Kolkata", want: "2016-05-20T00:00:00Z"),
        // A time skipped by daylight saving is skipped.
        NextCase(schedule: "30 2 * * *", after: "2016-03-12T08:00:00Z", zone: "America/New_York", want: "2016-03-14T06:30:00Z"),
    ]

    @Test(arguments: nextCases)
    func next(_ testCase: NextCase) throws {
        let schedule = try CronSchedule.parse(testCase.schedule)
        let next = schedule.next(after: Self.date(testCase.after), zone: TimeZone(identifier: testCase.zone)!)
        #expect(next == Self.date(testCase.want))
    }

    @Test func impossibleScheduleHasNoNextTime() throws {
        let schedule = try CronSchedule.parse("59 23 31 2 *")
        #expect(schedule.next(after: Self.date("2016-05-19T10:00:00Z"), zone: Self.utc) == nil)
    }

    @Test(arguments: [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* 5-2 * * *", "beginning of range (5) beyond end of range (2): 5-2"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("a * * * *", "failed to parse int from a: a"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("TZ=Mars/Olympus * * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"),
    ])
    func parseErrors(_ schedule: String, _ message: String) {
        #expect(throws: CronSchedule.ParseError(description: message)) { try CronSchedule.parse(schedule) }
    }
}
