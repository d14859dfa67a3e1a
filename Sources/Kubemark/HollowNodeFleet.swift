import Foundation
import KubeClient
import KubeModel
import Logging
import ServiceLifecycle

/// A fleet of hollow nodes (kubemark's hollow kubelets, in one process): registers
/// `configuration.count` nodes and then behaves toward the API server as their kubelets would —
/// Leases renewed, node status reported, pods bound to the nodes marked Running and finished
/// off when deleted — without running any container. One stats listener serves every node's
/// kubelet `/metrics/resource` with synthetic usage (see ``HollowResourceUsage``).
///
/// Everything is shared across the fleet so that thousands of nodes are cheap: one
/// ``RESTClient`` (one HTTP/2 connection), one pod informer, one heartbeat queue and one pod
/// queue, each served by a fixed number of workers. Runs until cancelled or gracefully shut down.
public final class HollowNodeFleet: Service {
    public let configuration: HollowNodeConfiguration
    let client: RESTClient
    let logger: Logger
    let table: FleetNodeTable

    public init(client: RESTClient, configuration: HollowNodeConfiguration,
                logger: Logger = Logger(label: "skiff.hollow-nodes")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        table = FleetNodeTable(configuration: configuration)
    }

    /// Nodes registered so far.
    public var registeredCount: Int { table.registeredCount }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.runFleet() }
        } catch is CancellationError {
            // Stopped (graceful shutdown or cancellation): nothing is left running.
        }
        logger.info("hollow nodes stopped", metadata: ["nodes": "\(configuration.count)"])
    }

    private func runFleet() async throws {
        let kubeletVersion: String
        if let configured = configuration.kubeletVersion {
            kubeletVersion = configured
        } else {
            kubeletVersion = await serverVersion() ?? HollowNodeConfiguration.defaultKubeletVersion
        }
        let pods = HollowPodSyncer(client: client, table: table, logger: logger)
        let stats = try await startStatsServer(pods: pods)
        let template = HollowNodeTemplate(
            configuration: configuration, kubeletVersion: kubeletVersion, kubeletPort: Int32(stats.port))
        let registrar = NodeRegistrar(client: client, template: template, table: table, logger: logger)
        let heartbeat = NodeHeartbeat(client: client, template: template, table: table, registrar: registrar, logger: logger)
        logger.info("registering hollow nodes", metadata: [
            "nodes": "\(configuration.count)", "prefix": "\(configuration.namePrefix)", "kubeletVersion": "\(kubeletVersion)",
            "kubeletPort": "\(stats.port)",
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await stats.run() }
            // Heartbeats start node by node as each registers.
            group.addTask { await heartbeat.run(workers: self.configuration.heartbeatWorkers) }
            let started = ContinuousClock.now
            try await registrar.registerAll(concurrency: configuration.registrationConcurrency) { index in
                await heartbeat.start(index)
            }
            let elapsed = ContinuousClock.now - started
            logger.info("all hollow nodes registered", metadata: [
                "nodes": "\(configuration.count)", "seconds": "\(Self.seconds(elapsed))",
            ])
            group.addTask { try await pods.run(workers: self.configuration.podWorkers) }
            try await group.waitForAll()
        }
    }

    /// Binds the stats listener; it answers for the node whose InternalIP a connection came to.
    private func startStatsServer(pods: HollowPodSyncer) async throws -> HollowStatsServer {
        let counters = HollowUsageCounters(
            podDefault: configuration.podUsage, nodeBase: configuration.nodeBaseUsage,
            startMillis: Self.nowMillis())
        let table = self.table
        return try await HollowStatsServer.bind(host: configuration.statsBindAddress, port: configuration.kubeletPort) { path, local in
            guard path == "/metrics/resource" else { return (404, "text/plain; charset=utf-8", "404 page not found\n") }
            guard let local, let index = HollowNodeIdentity.index(ofInternalIP: local), index < table.count else {
                return (404, "text/plain; charset=utf-8", "no hollow node at \(local ?? "this address")\n")
            }
            let metrics = counters.sample(
                node: index, pods: pods.pods(onNode: table.identities[index].name), nowMillis: Self.nowMillis())
            return (200, KubeletResourceMetrics.contentType, metrics.render())
        }
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    private struct VersionInfo: Decodable {
        var gitVersion: String
    }

    /// The API server's `gitVersion` (what kubelets of the same build report); nil if unknown.
    private func serverVersion() async -> String? {
        do {
            return try await TransientRetry.run(attempts: 5) {
                try await client.send(RESTRequest(method: "GET", path: "/version"), as: VersionInfo.self).gitVersion
            }
        } catch {
            logger.warning("could not read the API server's version", metadata: ["error": "\(error)"])
            return nil
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f", seconds)
    }
}
