import Testing
@testable import KubeMetricsServer

struct PrometheusTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let line: String
        let expected: PrometheusSample
        var testDescription: String { line }
    }

    // Lines as kubelet's /metrics/resource writes them (metrics-server's decode_test inputs).
    static let cases: [Case] = [
        Case(line: "node_cpu_usage_seconds_total 357.35491 1633253812125",
             expected: PrometheusSample(name: "node_cpu_usage_seconds_total", value: 357.35491, timestampMillis: 1_633_253_812_125)),
        Case(line: "node_memory_working_set_bytes 1.616273408e+09 1633253812125",
             expected: PrometheusSample(name: "node_memory_working_set_bytes", value: 1.616273408e9, timestampMillis: 1_633_253_812_125)),
        Case(line: #"container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-558bd4d5db-4dpjz"} 4.710169 1633253812125"#,
             expected: PrometheusSample(
                name: "container_cpu_usage_seconds_total",
                labels: ["container": "coredns", "namespace": "kube-system", "pod": "coredns-558bd4d5db-4dpjz"],
                value: 4.710169, timestampMillis: 1_633_253_812_125)),
        Case(line: "resource_scrape_error 0",
             expected: PrometheusSample(name: "resource_scrape_error", value: 0)),
        Case(line: #"x{a="q\"uo\\te\nd", b = "2",} +Inf"#,
             expected: PrometheusSample(name: "x", labels: ["a": "q\"uo\\te\nd", "b": "2"], value: .infinity)),
        Case(line: "  spaced_metric   12   34  ",
             expected: PrometheusSample(name: "spaced_metric", value: 12, timestampMillis: 34)),
    ]

    @Test(arguments: cases)
    func parsesSampleLines(_ c: Case) throws {
        let samples = try PrometheusText.parse(c.line)
        #expect(samples == [c.expected])
    }

    @Test func skipsCommentsAndBlankLines() throws {
        let text = """
            # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
            # TYPE node_cpu_usage_seconds_total counter
            node_cpu_usage_seconds_total 1 2

            # EOF
            """
        #expect(try PrometheusText.parse(text) == [PrometheusSample(name: "node_cpu_usage_seconds_total", value: 1, timestampMillis: 2)])
    }

    @Test(arguments: [
        "no_value",
        #"m{a="unterminated} 1"#,
        "m{a=1} 1",
        "m 1 notatime",
        "m one",
        "{a=\"b\"} 1",
    ])
    func rejectsMalformedLines(_ line: String) {
        #expect(throws: PrometheusText.ParseError.self) { try PrometheusText.parse(line) }
    }
}
