import Foundation

/// A CronJob schedule as upstream reads it (robfig/cron's standard parser): five fields
/// (minute, hour, day of month, month, day of week) with `*`/`?`, lists, ranges, steps and
/// month/day names; the macros `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/
/// `@midnight`, `@hourly`; `@every <duration>`; an optional `TZ=`/`CRON_TZ=` prefix.
/// Day of week 7 is read as Sunday, as Skiff's API server accepts it.
struct CronSchedule: Sendable, Equatable {
    struct ParseError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    enum Rule: Sendable, Equatable {
        /// Bit sets of the allowed values; `*` in a day field makes both day fields required.
        case fields(minute: UInt64, hour: UInt64, dayOfMonth: UInt64, month: UInt64, dayOfWeek: UInt64,
                    dayOfMonthStar: Bool, dayOfWeekStar: Bool)
        /// `@every`: whole seconds after the previous time.
        case every(seconds: Int64)
    }

    var rule: Rule
    /// The zone of a `TZ=` prefix; nil uses the zone the caller passes.
    var timeZone: TimeZone?

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    private struct Bounds {
        var min: Int
        var max: Int
        var names: [String: Int] = [:]
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    private static let bounds: [Bounds] = [
        Bounds(min: 0, max: 59), Bounds(min: 0, max: 23), Bounds(min: 1, max: 31),
        Bounds(min: 1, max: 12, names: Dictionary(uniqueKeysWithValues: monthNames.enumerated().map { ($1, $0 + 1) })),
        Bounds(min: 0, max: 7, names: Dictionary(uniqueKeysWithValues: dayNames.enumerated().map { ($1, $0) })),
    ]

    static func parse(_ text: String) throws(ParseError) -> CronSchedule {
        var spec = text.trimmingCharacters(in: .whitespaces)
        guard !spec.isEmpty else { throw ParseError(description: "empty spec string") }
        var zone: TimeZone?
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            let end = spec.firstIndex(of: " ") ?? spec.endIndex
            let name = String(spec[spec.index(after: spec.firstIndex(of: "=")!)..<end])
            guard let loaded = TimeZone(identifier: name) else {
                throw ParseError(description: "provided bad location \(name): unknown time zone \(name)")
            }
            zone = loaded
            spec = String(spec[end...]).trimmingCharacters(in: .whitespaces)
        }
        if spec.hasPrefix("@") {
            if let expansion = macros[spec.lowercased()] { spec = expansion }
            else if spec.hasPrefix("@every ") {
                let text = String(spec.dropFirst("@every ".count))
                guard let seconds = goDurationSeconds(text) else {
                    throw ParseError(description: "failed to parse duration \(spec): time: invalid duration \"\(text)\"")
                }
                return CronSchedule(rule: .every(seconds: max(1, seconds)), timeZone: zone)
            } else {
                throw ParseError(description: "unrecognized descriptor: \(spec)")
            }
        }
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(description: "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        var bits: [UInt64] = []
        var stars: [Bool] = []
        for (field, bound) in zip(fields, bounds) {
            let (value, star) = try parseField(field, bound)
            bits.append(value)
            stars.append(star)
        }
        if bits[4] & (1 << 7) != 0 { bits[4] = (bits[4] & ~(1 << 7)) | 1 }
        return CronSchedule(rule: .fields(minute: bits[0], hour: bits[1], dayOfMonth: bits[2], month: bits[3], dayOfWeek: bits[4],
                                          dayOfMonthStar: stars[2], dayOfWeekStar: stars[4]), timeZone: zone)
    }

    /// The bits of one field, and whether it is a bare `*`/`?` (with no step above 1).
    private static func parseField(_ field: String, _ bound: Bounds) throws(ParseError) -> (UInt64, Bool) {
        var bits: UInt64 = 0
        var star = false
        for expression in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            var start: Int, end: Int
            var isStar = false
            if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
                (start, end, isStar) = (bound.min, bound.max, true)
            } else {
                start = try value(lowAndHigh[0], bound, expression)
                switch lowAndHigh.count {
                case 1: end = start
                case 2: end = try value(lowAndHigh[1], bound, expression)
                default: throw ParseError(description: "too many hyphens: \(expression)")
                }
            }
            var step = 1
            switch rangeAndStep.count {
            case 1: break
            case 2:
                step = try number(rangeAndStep[1], expression)
                if lowAndHigh.count == 1 { end = bound.max }
                if step > 1 { isStar = false }
            default: throw ParseError(description: "too many slashes: \(expression)")
            }
            if start < bound.min { throw ParseError(description: "beginning of range (\(start)) below minimum (\(bound.min)): \(expression)") }
            if end > bound.max { throw ParseError(description: "end of range (\(end)) above maximum (\(bound.max)): \(expression)") }
            if start > end { throw ParseError(description: "beginning of range (\(start)) beyond end of range (\(end)): \(expression)") }
            if step == 0 { throw ParseError(description: "step of range should be a positive number: \(expression)") }
            for value in stride(from: start, through: end, by: step) { bits |= 1 << UInt64(value) }
            star = star || isStar
        }
        return (bits, star)
    }

    private static func value(_ text: String, _ bound: Bounds, _ expression: String) throws(ParseError) -> Int {
        if let named = bound.names[text.lowercased()] { return named }
        return try number(text, expression)
    }

    private static func number(_ text: String, _ expression: String) throws(ParseError) -> Int {
        guard let value = Int(text) else { throw ParseError(description: "failed to parse int from \(text): \(expression)") }
        guard value >= 0 else { throw ParseError(description: "negative number (\(value)) not allowed: \(text)") }
        return value
    }

    /// Whole seconds of a Go duration (`1h30m`, `90s`, `1.5h`); nil when it does not parse.
    static func goDurationSeconds(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let amount = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) }) else {
                return nil
            }
            total += amount * unit.1
            rest = rest.dropFirst(unit.0.count)
        }
        return Int64(total.rounded(.down))
    }

    /// The first time after `date` the schedule fires, in `zone` unless it names its own;
    /// nil when there is none within five years.
    func next(after date: Date, zone: TimeZone) -> Date? {
        switch rule {
        case .every(let seconds):
            return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down) + TimeInterval(seconds))
        case let .fields(minute, hour, dayOfMonth, month, dayOfWeek, dayOfMonthStar, dayOfWeekStar):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone ?? zone
            var candidate = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
            let yearLimit = calendar.component(.year, from: candidate) + 5
            while true {
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: candidate)
                guard let year = parts.year, year <= yearLimit else { return nil }
                if month & (1 << UInt64(parts.month!)) == 0 {
                    let nextMonth = parts.month! == 12 ? DateComponents(year: year + 1, month: 1, day: 1)
                        : DateComponents(year: year, month: parts.month! + 1, day: 1)
                    candidate = calendar.date(from: nextMonth)!
                    continue
                }
                let domMatch = dayOfMonth & (1 << UInt64(parts.day!)) != 0
                let dowMatch = dayOfWeek & (1 << UInt64(parts.weekday! - 1)) != 0
                let dayMatches = (dayOfMonthStar || dayOfWeekStar) ? (domMatch && dowMatch) : (domMatch || dowMatch)
                if !dayMatches {
                    let startOfDay = calendar.startOfDay(for: candidate)
                    candidate = calendar.startOfDay(for: calendar.date(byAdding: .hour, value: 36, to: startOfDay)!)
                    continue
                }
                if hour & (1 << UInt64(parts.hour!)) == 0 {
                    candidate = candidate.addingTimeInterval(TimeInterval(3600 - parts.minute! * 60))
                    continue
                }
                if minute & (1 << UInt64(parts.minute!)) == 0 {
                    candidate = candidate.addingTimeInterval(60)
                    continue
                }
                return candidate
            }
        }
    }
}
