import Foundation
import KubeAPIServer
import KubeClient
import KubeModel
import Logging
import ServiceLifecycle

/// metrics-server in the server process: every `resolution` it scrapes the kubelet
/// `/metrics/resource` of each Ready node (InternalIP and `daemonEndpoints.kubeletEndpoint`),
/// keeps the last two samples per node and container in a ``MetricsStore``, and serves
/// `metrics.k8s.io/v1beta1` through ``apiHandler`` (plugged into the API server with
/// ``DelegatingRequestHandler``). Nodes and pods come from informers over the API server; the
/// store is never touched.
public final class MetricsServer: Service {
    public struct Configuration: Sendable {
        /// How often nodes are scraped (metrics-server's `--metric-resolution`).
        public var resolution: Duration = .seconds(15)
        /// How many kubelets are scraped at once.
        public var concurrency = 64

        public init(resolution: Duration = .seconds(15)) {
            self.resolution = resolution
        }
    }

    public let configuration: Configuration
    public let store: MetricsStore
    let client: RESTClient
    let informers: InformerFactory
    let nodes: Informer<CoreV1.Node>
    let pods: Informer<CoreV1.Pod>
    let scraper: KubeletScraper
    let logger: Logger

    public init(restConfig: RESTConfig, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "skiff.metrics-server")) throws {
        var config = restConfig
        config.userAgent = "skiff-metrics-server"
        client = try RESTClient(config: config)
        informers = InformerFactory(client: client)
        nodes = informers.informer(CoreV1.Node.self)
        pods = informers.informer(CoreV1.Pod.self)
        self.configuration = configuration
        store = MetricsStore(resolution: configuration.resolution)
        // metrics-server gives a scrape 90% of the resolution.
        scraper = KubeletScraper(timeout: configuration.resolution * 0.9)
        self.logger = logger
    }

    /// Serves `metrics.k8s.io` from this server's store and informers.
    public var apiHandler: MetricsAPIHandler {
        MetricsAPIHandler(nodes: nodes.lister, pods: pods.lister, store: store)
    }

    public func run() async throws {
        logger.info("metrics server starting", metadata: ["resolution": "\(configuration.resolution)"])
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.client.run() }
                    group.addTask { try await self.informers.run() }
                    group.addTask { try await self.scrapeLoop() }
                    defer {
                        group.cancelAll()
                        self.client.close()
                    }
                    try await group.next()
                }
            }
        } catch is CancellationError {}
    }

    /// Scrapes at once, then every `resolution` (a round that overruns starts the next at once).
    func scrapeLoop() async throws {
        await informers.waitForCacheSync()
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            await scrapeAll()
            try await clock.sleep(until: started + configuration.resolution)
        }
        throw CancellationError()
    }

    /// One round: every Ready node with a kubelet endpoint, `concurrency` at a time; a node that
    /// fails is left out of the round (its metrics disappear until it answers again).
    func scrapeAll() async {
        let targets: [(name: String, host: String, port: Int)] = nodes.lister.list().compactMap { node in
            guard let name = node.metadata.name, Self.isReady(node), let endpoint = KubeletScraper.endpoint(of: node) else { return nil }
            return (name, endpoint.host, endpoint.port)
        }
        var batch = MetricsBatch()
        await withTaskGroup(of: MetricsBatch?.self) { group in
            var next = 0
            func addNext() {
                guard next < targets.count else { return }
                let target = targets[next]
                next += 1
                group.addTask { await self.scrape(node: target.name, host: target.host, port: target.port) }
            }
            for _ in 0..<max(1, configuration.concurrency) { addNext() }
            while let result = await group.next() {
                if let result { batch.merge(result) }
                addNext()
            }
        }
        store.store(batch)
    }

    func scrape(node: String, host: String, port: Int) async -> MetricsBatch? {
        let scrapeTime = Int64(Date().timeIntervalSince1970 * 1e9)
        do {
            let text = try await scraper.scrape(host: host, port: port)
            return ResourceMetricsDecoder.decode(try PrometheusText.parse(text), node: node, scrapeTime: scrapeTime)
        } catch {
            if !Task.isCancelled {
                logger.warning("failed to scrape node", metadata: ["node": "\(node)", "address": "\(host):\(port)", "error": "\(error)"])
            }
            return nil
        }
    }

    static func isReady(_ node: CoreV1.Node) -> Bool {
        node.status.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }
}
