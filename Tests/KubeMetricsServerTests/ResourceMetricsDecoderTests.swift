import Testing
@testable import KubeMetricsServer

struct ResourceMetricsDecoderTests {
    static func sample(_ name: String, _ value: Double, labels: [String: String] = [:], ts: Int64? = 1000) -> PrometheusSample {
        PrometheusSample(name: name, labels: labels, value: value, timestampMillis: ts)
    }

    static let app = ["namespace": "ns", "pod": "p", "container": "app"]
    static let side = ["namespace": "ns", "pod": "p", "container": "side"]

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let samples: [PrometheusSample]
        let nodeKept: Bool
        let podKept: Bool
        var testDescription: String { name }
    }

    // metrics-server's decode rules: incomplete nodes and pods are dropped whole.
    static let cases: [Case] = [
        Case(name: "complete", samples: [
            sample("node_cpu_usage_seconds_total", 1), sample("node_memory_working_set_bytes", 2),
            sample("container_cpu_usage_seconds_total", 1, labels: app), sample("container_memory_working_set_bytes", 2, labels: app),
        ], nodeKept: true, podKept: true),
        Case(name: "node without memory", samples: [
            sample("node_cpu_usage_seconds_total", 1),
        ], nodeKept: false, podKept: false),
        Case(name: "node with zero cpu", samples: [
            sample("node_cpu_usage_seconds_total", 0), sample("node_memory_working_set_bytes", 2),
        ], nodeKept: false, podKept: false),
        Case(name: "one container without memory drops the pod", samples: [
            sample("node_cpu_usage_seconds_total", 1), sample("node_memory_working_set_bytes", 2),
            sample("container_cpu_usage_seconds_total", 1, labels: app), sample("container_memory_working_set_bytes", 2, labels: app),
            sample("container_cpu_usage_seconds_total", 1, labels: side),
        ], nodeKept: true, podKept: false),
        Case(name: "unknown metrics are ignored", samples: [
            sample("node_cpu_usage_seconds_total", 1), sample("node_memory_working_set_bytes", 2),
            sample("node_swap_usage_bytes", 3), sample("scrape_error", 0),
        ], nodeKept: true, podKept: false),
    ]

    @Test(arguments: cases)
    func decodes(_ c: Case) {
        let batch = ResourceMetricsDecoder.decode(c.samples, node: "n", scrapeTime: 5)
        #expect((batch.nodes["n"] != nil) == c.nodeKept)
        #expect((batch.pods[PodReference(namespace: "ns", name: "p")] != nil) == c.podKept)
    }

    @Test func samplesWithoutTimestampTakeTheScrapeTime() {
        let batch = ResourceMetricsDecoder.decode([
            Self.sample("node_cpu_usage_seconds_total", 1, ts: nil), Self.sample("node_memory_working_set_bytes", 2, ts: nil),
        ], node: "n", scrapeTime: 42)
        #expect(batch.nodes["n"]?.timestamp == 42)
    }
}
