import Testing
@testable import KubeMetricsServer

struct ResourceUsageTests {
    static let second: Int64 = 1_000_000_000

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let prev: MetricsPoint
        let last: MetricsPoint
        let expected: Result<ResourceUsage, ResourceUsage.Failure>
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "one core over 10s",
             prev: MetricsPoint(timestamp: 0, cumulativeCPUUsed: 10 * 1_000_000_000, memoryUsage: 1),
             last: MetricsPoint(timestamp: 10 * second, cumulativeCPUUsed: 20 * 1_000_000_000, memoryUsage: 2),
             expected: .success(ResourceUsage(cpuNanoCores: 1_000_000_000, memoryBytes: 2, timestamp: 10 * second, window: 10 * second))),
        Case(name: "10m over 2s",
             prev: MetricsPoint(timestamp: 5 * second, cumulativeCPUUsed: 100_000_000, memoryUsage: 16),
             last: MetricsPoint(timestamp: 7 * second, cumulativeCPUUsed: 120_000_000, memoryUsage: 16),
             expected: .success(ResourceUsage(cpuNanoCores: 10_000_000, memoryBytes: 16, timestamp: 7 * second, window: 2 * second))),
        Case(name: "fractional nanocores are truncated",
             prev: MetricsPoint(timestamp: 0, cumulativeCPUUsed: 0, memoryUsage: 1),
             last: MetricsPoint(timestamp: 2 * second, cumulativeCPUUsed: 20_000_001, memoryUsage: 1),
             expected: .success(ResourceUsage(cpuNanoCores: 10_000_000, memoryBytes: 1, timestamp: 2 * second, window: 2 * second))),
        Case(name: "cumulative cpu went down",
             prev: MetricsPoint(timestamp: 0, cumulativeCPUUsed: 5, memoryUsage: 1),
             last: MetricsPoint(timestamp: second, cumulativeCPUUsed: 4, memoryUsage: 1),
             expected: .failure(.cumulativeCPUDecreased)),
        Case(name: "start time went back",
             prev: MetricsPoint(startTime: 10, timestamp: 0, cumulativeCPUUsed: 0, memoryUsage: 1),
             last: MetricsPoint(startTime: 5, timestamp: second, cumulativeCPUUsed: 4, memoryUsage: 1),
             expected: .failure(.startTimeDecreased)),
        Case(name: "same timestamp",
             prev: MetricsPoint(timestamp: second, cumulativeCPUUsed: 0, memoryUsage: 1),
             last: MetricsPoint(timestamp: second, cumulativeCPUUsed: 4, memoryUsage: 1),
             expected: .failure(.emptyWindow)),
    ]

    @Test(arguments: cases)
    func computesUsage(_ c: Case) {
        #expect(ResourceUsage.between(last: c.last, prev: c.prev) == c.expected)
    }

    @Test func rendersQuantitiesAsMetricsServer() {
        let usage = ResourceUsage(cpuNanoCores: 10_000_000, memoryBytes: 16 * 1024 * 1024, timestamp: 0, window: 0)
        #expect(usage.resourceList["cpu"]?.description == "10m")
        #expect(usage.resourceList["memory"]?.description == "16Mi")
        let odd = ResourceUsage(cpuNanoCores: 2_139_553, memoryBytes: 12_345_678, timestamp: 0, window: 0)
        #expect(odd.resourceList["cpu"]?.description == "2139553n")
    }
}

struct MetricsStoreTests {
    static let second: Int64 = 1_000_000_000
    static let pod = PodReference(namespace: "ns", name: "p")

    static func node(_ t: Int64, cpu: UInt64) -> MetricsBatch {
        MetricsBatch(nodes: ["n": MetricsPoint(timestamp: t * second, cumulativeCPUUsed: cpu, memoryUsage: 100)])
    }

    static func container(start: Int64, _ t: Int64, cpu: UInt64) -> MetricsBatch {
        MetricsBatch(pods: [pod: ["app": MetricsPoint(startTime: start * second, timestamp: t * second, cumulativeCPUUsed: cpu, memoryUsage: 7)]])
    }

    @Test func nodeUsageNeedsTwoScrapes() {
        let store = MetricsStore(resolution: .seconds(15))
        store.store(Self.node(100, cpu: 1_000_000_000))
        #expect(store.nodeUsage("n") == nil)
        store.store(Self.node(115, cpu: 2_500_000_000))
        #expect(store.nodeUsage("n") == ResourceUsage(cpuNanoCores: 100_000_000, memoryBytes: 100, timestamp: 115 * Self.second, window: 15 * Self.second))
    }

    @Test func aRepeatedPointKeepsThePreviousOne() {
        let store = MetricsStore(resolution: .seconds(15))
        store.store(Self.node(100, cpu: 1_000_000_000))
        store.store(Self.node(115, cpu: 2_500_000_000))
        store.store(Self.node(115, cpu: 2_500_000_000))
        #expect(store.nodeUsage("n")?.window == 15 * Self.second)
    }

    @Test func aNodeMissingFromARoundLosesItsMetrics() {
        let store = MetricsStore(resolution: .seconds(15))
        store.store(Self.node(100, cpu: 1))
        store.store(Self.node(115, cpu: 2))
        store.store(MetricsBatch())
        #expect(store.nodeUsage("n") == nil)
    }

    @Test func containerUsageFromTwoScrapes() throws {
        let store = MetricsStore(resolution: .seconds(15))
        store.store(Self.container(start: 0, 100, cpu: 1_000_000_000))
        #expect(store.podUsage(Self.pod) == nil)
        store.store(Self.container(start: 0, 115, cpu: 1_150_000_000))
        let usage = try #require(store.podUsage(Self.pod))
        #expect(usage.containers["app"]?.cpuNanoCores == 10_000_000)
        #expect(usage.containers["app"]?.memoryBytes == 7)
        #expect(usage.timestamp == 115 * Self.second && usage.window == 15 * Self.second)
    }

    @Test func aRestartedContainerStartsOver() {
        let store = MetricsStore(resolution: .seconds(15))
        store.store(Self.container(start: 0, 100, cpu: 1_000_000_000))
        // Restarted 5s before the scrape: too fresh for a point at its start.
        store.store(Self.container(start: 110, 115, cpu: 50_000_000))
        #expect(store.podUsage(Self.pod) == nil)
    }

    @Test func aFreshContainerCountsFromItsStart() throws {
        // Started 12s before the scrape, within one 15s resolution but past the 10s minimum.
        let store = MetricsStore(resolution: .seconds(15))
        store.store(Self.container(start: 88, 100, cpu: 120_000_000))
        let usage = try #require(store.podUsage(Self.pod))
        #expect(usage.containers["app"]?.cpuNanoCores == 10_000_000)
        #expect(usage.window == 12 * Self.second)
    }

    @Test func aPodNeedsEveryContainerTwice() {
        let store = MetricsStore(resolution: .seconds(15))
        store.store(Self.container(start: 0, 100, cpu: 1))
        var second = Self.container(start: 0, 115, cpu: 2)
        second.pods[Self.pod]?["side"] = MetricsPoint(startTime: 0, timestamp: 115 * Self.second, cumulativeCPUUsed: 5, memoryUsage: 1)
        store.store(second)
        #expect(store.podUsage(Self.pod) == nil)
    }
}
