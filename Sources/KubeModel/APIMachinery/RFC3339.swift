/// Allocation-free RFC 3339 parsing and formatting shared by `MetaV1.Time` and `MetaV1.MicroTime`.
///
/// Accepts `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`T`/`Z` in either case), validating field ranges.
enum RFC3339 {
    struct Parsed: Equatable {
        /// Seconds since the Unix epoch, UTC.
        var seconds: Int64
        /// Nanoseconds within the second (fraction digits past the ninth are dropped).
        var nanoseconds: Int64
    }

    static func parse(_ string: String) -> Parsed? {
        var copy = string
        return copy.withUTF8 { parse($0) }
    }

    static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Parsed? {
        guard s.count >= 20 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for i in start..<(start + count) {
                let c = s[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                value = value * 10 + Int64(c - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), s[4] == UInt8(ascii: "-"),
              let month = digits(5, 2), s[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t"),
              let hour = digits(11, 2), s[13] == UInt8(ascii: ":"),
              let minute = digits(14, 2), s[16] == UInt8(ascii: ":"),
              let second = digits(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        var pos = 19
        var nanos: Int64 = 0
        if s[pos] == UInt8(ascii: ".") {
            pos += 1
            let start = pos
            var scale: Int64 = 100_000_000
            while pos < s.count, s[pos] >= 0x30, s[pos] <= 0x39 {
                nanos += Int64(s[pos] - 0x30) * scale
                scale /= 10
                pos += 1
            }
            guard pos > start else { return nil }
        }
        guard pos < s.count else { return nil }
        var offset: Int64 = 0
        switch s[pos] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            pos += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard s.count - pos == 6, let oh = digits(pos + 1, 2), s[pos + 3] == UInt8(ascii: ":"),
                  let om = digits(pos + 4, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (s[pos] == UInt8(ascii: "-") ? -1 : 1)
            pos += 6
        default:
            return nil
        }
        guard pos == s.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Parsed(seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanoseconds: nanos)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` for UTC; `fractionDigits` digits of `fraction` (0 omits the dot).
    static func format(seconds: Int64, fraction: Int64 = 0, fractionDigits: Int = 0) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        let capacity = 20 + (fractionDigits > 0 ? fractionDigits + 1 : 0)
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var i = 0
            func put(_ value: Int64, width: Int) {
                var v = value
                var p = i + width - 1
                while p >= i {
                    buffer[p] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                    p -= 1
                }
                i += width
            }
            func put(_ c: Unicode.Scalar) {
                buffer[i] = UInt8(ascii: c)
                i += 1
            }
            put(min(max(year, 0), 9999), width: 4)
            put("-")
            put(month, width: 2)
            put("-")
            put(day, width: 2)
            put("T")
            put(secondOfDay / 3600, width: 2)
            put(":")
            put(secondOfDay / 60 % 60, width: 2)
            put(":")
            put(secondOfDay % 60, width: 2)
            if fractionDigits > 0 {
                put(".")
                put(fraction, width: fractionDigits)
            }
            put("Z")
            return i
        }
    }

    static func isLeapYear(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
