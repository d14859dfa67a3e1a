/// Go's `time.Duration.String()`: `15s`, `2.001s`, `1m0.5s`, `1h0m0s`, `500ms`, `0s` — the form
/// of `window` in NodeMetrics and PodMetrics.
public enum GoDuration {
    public static func string(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            // Below a second: the largest of ns, µs, ms that keeps the value at least 1.
            let (unit, scale): (String, UInt64) = magnitude < 1_000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            text = fraction(magnitude, scale: scale) + unit
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = fraction(magnitude % 60_000_000_000, scale: 1_000_000_000) + "s"
            if hours > 0 {
                text = "\(hours)h\(minutes)m\(seconds)"
            } else if minutes > 0 {
                text = "\(minutes)m\(seconds)"
            } else {
                text = seconds
            }
        }
        return negative ? "-" + text : text
    }

    /// `value / scale` with the fraction's trailing zeros dropped.
    static func fraction(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale, rest = value % scale
        guard rest != 0 else { return "\(whole)" }
        var digits = String(rest)
        let width = String(scale).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
