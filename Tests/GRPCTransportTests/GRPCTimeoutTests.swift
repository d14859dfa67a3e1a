import Testing

@testable import GRPCTransport

@Suite struct GRPCTimeoutTests {
    static let cases: [(Duration, String)] = [
        (.nanoseconds(1), "1n"),
        (.nanoseconds(99_999_999), "99999999n"),
        (.milliseconds(100), "100000u"),
        (.microseconds(99_999_999), "99999999u"),
        (.seconds(1), "1000000u"),
        (.seconds(30), "30000000u"),
        (.seconds(1000), "1000000m"),
        (.seconds(100_000), "100000S"),
        (.seconds(100_000_000), "1666667M"),
        (.seconds(10_000_000_000), "2777778H"),
        (.zero, "0n"),
        (.seconds(-1), "0n"),
        // Rounded up: the server must not give up before the client's deadline.
        (.nanoseconds(100_000_001), "100001u"),
    ]

    @Test(arguments: cases)
    func headerValue(timeout: Duration, expected: String) {
        #expect(GRPCTimeout.headerValue(timeout) == expected)
    }

    @Test func hugeTimeoutIsCapped() {
        #expect(GRPCTimeout.headerValue(.seconds(Int64.max)) == "99999999H")
    }
}
