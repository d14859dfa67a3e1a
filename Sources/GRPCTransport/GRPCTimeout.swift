/// The `grpc-timeout` request header: at most eight ASCII digits and a unit
/// (`H`ours, `M`inutes, `S`econds, `m`illiseconds, `u` microseconds, `n`anoseconds).
enum GRPCTimeout {
    private static let maxValue: Int64 = 99_999_999
    private static let units: [(nanoseconds: Int64, unit: Character)] = [
        (1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"), (3_600_000_000_000, "H"),
    ]

    /// The header value for `timeout`: the finest unit whose value fits in eight digits, rounded
    /// up so the server never gives up earlier than asked. Negative timeouts become `0n`.
    static func headerValue(_ timeout: Duration) -> String {
        let (seconds, attoseconds) = timeout.components
        guard timeout > .zero else { return "0n" }
        let nanoseconds = (attoseconds + 999_999_999) / 1_000_000_000
        for (size, unit) in units {
            let value: Int64
            if size < 1_000_000_000 {
                // Sub-second units only fit eight digits below 10^5 s, where nanoseconds fit in Int64.
                guard seconds < 100_000 else { continue }
                value = ceilingDivide(seconds * 1_000_000_000 + nanoseconds, size)
            } else {
                let (whole, overflow) = seconds.addingReportingOverflow(nanoseconds > 0 ? 1 : 0)
                value = ceilingDivide(overflow ? Int64.max : whole, size / 1_000_000_000)
            }
            if value <= maxValue { return "\(value)\(unit)" }
        }
        return "\(maxValue)H"
    }

    private static func ceilingDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value / divisor + (value % divisor == 0 ? 0 : 1)
    }
}
