import Foundation
import SwiftASN1

/// X.509's `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }` as Dates:
/// UTCTime for 1950 through 2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). Whole seconds.
enum CertificateTime {
    static func parse(_ node: ASN1Node) throws -> Date {
        let parts: (year: Int, month: Int, day: Int, hours: Int, minutes: Int, seconds: Int)
        switch node.identifier {
        case .utcTime:
            let time = try UTCTime(derEncoded: node)
            parts = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        case .generalizedTime:
            let time = try GeneralizedTime(derEncoded: node)
            parts = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        default:
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        var calendarTime = tm()
        calendarTime.tm_year = Int32(parts.year - 1900)
        calendarTime.tm_mon = Int32(parts.month - 1)
        calendarTime.tm_mday = Int32(parts.day)
        calendarTime.tm_hour = Int32(parts.hours)
        calendarTime.tm_min = Int32(parts.minutes)
        calendarTime.tm_sec = Int32(parts.seconds)
        return Date(timeIntervalSince1970: TimeInterval(timegm(&calendarTime)))
    }

    static func serialize(_ date: Date, into coder: inout DER.Serializer) throws {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var calendarTime = tm()
        gmtime_r(&seconds, &calendarTime)
        let year = Int(calendarTime.tm_year) + 1900
        let month = Int(calendarTime.tm_mon) + 1, day = Int(calendarTime.tm_mday)
        let hours = Int(calendarTime.tm_hour), minutes = Int(calendarTime.tm_min), second = Int(calendarTime.tm_sec)
        if (1950..<2050).contains(year) {
            try coder.serialize(UTCTime(
                year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: second))
        } else {
            try coder.serialize(GeneralizedTime(
                year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: second,
                fractionalSeconds: 0))
        }
    }
}
