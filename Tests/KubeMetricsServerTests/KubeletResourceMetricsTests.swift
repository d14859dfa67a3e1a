import Kubemark
import Testing
@testable import KubeMetricsServer

/// What hollow nodes render is what the scraper decodes.
struct KubeletResourceMetricsTests {
    static let metrics = KubeletResourceMetrics(
        timestampMillis: 1_700_000_010_000, nodeCPUSeconds: 12.5, nodeMemoryBytes: 301_989_888,
        containers: [
            .init(namespace: "default", pod: "web", container: "app", startTime: 1_700_000_000,
                  cpuSeconds: 2.5, memoryBytes: 67_108_864),
            .init(namespace: "default", pod: "web", container: "sidecar", startTime: 1_700_000_000,
                  cpuSeconds: 0.1, memoryBytes: 16_777_216),
        ])

    @Test func rendersKubeletFormat() {
        let text = Self.metrics.render()
        #expect(text.hasPrefix("""
            # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
            # TYPE container_cpu_usage_seconds_total counter
            container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 2.5 1700000010000

            """))
        #expect(text.contains("node_cpu_usage_seconds_total 12.5 1700000010000\n"))
        #expect(text.contains("node_memory_working_set_bytes 301989888 1700000010000\n"))
        #expect(text.contains(#"pod_memory_working_set_bytes{namespace="default",pod="web"} 83886080 1700000010000"#))
        #expect(text.contains(#"container_start_time_seconds{container="sidecar",namespace="default",pod="web"} 1700000000 1700000010000"#))
        #expect(text.hasSuffix("resource_scrape_error 0\n"))
    }

    @Test func decodesWhatHollowNodesRender() throws {
        let samples = try PrometheusText.parse(Self.metrics.render())
        let batch = ResourceMetricsDecoder.decode(samples, node: "n0", scrapeTime: 0)
        let at: Int64 = 1_700_000_010_000_000_000
        #expect(batch.nodes == ["n0": MetricsPoint(timestamp: at, cumulativeCPUUsed: 12_500_000_000, memoryUsage: 301_989_888)])
        let web = PodReference(namespace: "default", name: "web")
        #expect(batch.pods[web]?["app"] == MetricsPoint(
            startTime: 1_700_000_000_000_000_000, timestamp: at, cumulativeCPUUsed: 2_500_000_000, memoryUsage: 67_108_864))
        #expect(batch.pods[web]?["sidecar"]?.cumulativeCPUUsed == 100_000_000)
    }
}
