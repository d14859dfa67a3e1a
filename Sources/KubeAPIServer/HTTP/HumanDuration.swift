import Foundation

/// Upstream's human-readable durations (`5s`, `3m20s`, `2d4h`, `3y`): the AGE column.
public enum HumanDuration {
    public static func format(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.towardZero))
        // A little clock skew between machines reads as "now".
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(days)d" : "\(days)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(days)d" }
        let years = days / 365
        if hours < 24 * 365 * 8 {
            let d = days % 365
            return d == 0 ? "\(years)y" : "\(years)y\(d)d"
        }
        return "\(years)y"
    }

    /// The age of an object created at `timestamp`; `<unknown>` without a timestamp.
    public static func age(since timestamp: Date?, now: Date = Date()) -> String {
        guard let timestamp else { return "<unknown>" }
        return format(now.timeIntervalSince(timestamp))
    }
}
