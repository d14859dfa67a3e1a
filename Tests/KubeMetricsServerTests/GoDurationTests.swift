import Testing
@testable import KubeMetricsServer

struct GoDurationTests {
    // Go's time.Duration.String() examples (time/time_test.go durationTests).
    @Test(arguments: [
        (0, "0s"), (1, "1ns"), (1_100, "1.1µs"), (2_200_000, "2.2ms"), (3_300_000_000, "3.3s"),
        (4 * 60_000_000_000 + 5_000_000_000, "4m5s"), (4 * 60_000_000_000 + 5_001_000_000, "4m5.001s"),
        (5 * 3_600_000_000_000 + 6 * 60_000_000_000 + 7_001_000_000, "5h6m7.001s"),
        (8 * 60_000_000_000 + 1, "8m0.000000001s"), (15_000_000_000, "15s"), (-1_500_000_000, "-1.5s"),
    ] as [(Int64, String)])
    func formatsLikeGo(_ nanoseconds: Int64, _ expected: String) {
        #expect(GoDuration.string(nanoseconds: nanoseconds) == expected)
    }
}
