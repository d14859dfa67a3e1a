import Foundation
import KubeClient
import KubeModel
import Logging
import ServiceLifecycle

/// A fleet of hollow nodes (kubemark's hollow kubelets, in one process): registers
/// `configuration.count` nodes and then behaves toward the API server as their kubelets would —
/// Leases renewed, node status reported, pods bound to the nodes marked Running and finished
/// off when deleted — without running any container.
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
        let template = HollowNodeTemplate(configuration: configuration, kubeletVersion: kubeletVersion)
        let registrar = NodeRegistrar(client: client, template: template, table: table, logger: logger)
        let heartbeat = NodeHeartbeat(client: client, template: template, table: table, registrar: registrar, logger: logger)
        let pods = HollowPodSyncer(client: client, table: table, logger: logger)
        logger.info("registering hollow nodes", metadata: [
            "nodes": "\(configuration.count)", "prefix": "\(configuration.namePrefix)", "kubeletVersion": "\(kubeletVersion)",
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
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
