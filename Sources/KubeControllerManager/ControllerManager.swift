import Foundation
import KubeClient
import KubeModel
import Logging
import ServiceLifecycle

/// kube-controller-manager as a service: one REST client, one set of shared informers and the
/// enabled controllers, each with its own event recorder (events name the controller as their
/// source). `skiff server` runs it in-process over loopback HTTPS; `skiff controller-manager`
/// runs it alone, by default behind leader election on the `kube-system/kube-controller-manager`
/// Lease so several can stand by.
public struct ControllerManager: Service {
    public struct Configuration: Sendable {
        /// `--controllers`: `*` enables every controller, `name` enables one, `-name` disables one.
        public var controllers: [String] = ["*"]
        public var descriptors: [ControllerDescriptor] = ControllerManager.builtInControllers
        /// `--cluster-cidr`: the IPv4 range node IPAM cuts pod ranges from.
        public var clusterCIDR: String = "10.42.0.0/16"
        /// `--node-cidr-mask-size`: the prefix length of each node's pod range.
        public var nodeCIDRMaskSize: Int = 24
        /// `--node-monitor-grace-period`: how long a node may stop posting status before it is Unknown.
        public var nodeMonitorGracePeriod: Duration = .seconds(50)
        /// `--node-startup-grace-period`: the same for a node that never posted status.
        public var nodeStartupGracePeriod: Duration = .seconds(60)
        /// `--node-monitor-period`: how often each node's health is checked.
        public var nodeMonitorPeriod: Duration = .seconds(5)
        /// `--node-eviction-rate`: nodes a second that get a NoExecute taint in a zone that is not disrupted.
        public var nodeEvictionRate: Double = 0.1
        /// `--secondary-node-eviction-rate`: the same in a partially disrupted zone of more than
        /// `largeClusterSizeThreshold` nodes (smaller ones stop tainting).
        public var secondaryNodeEvictionRate: Double = 0.01
        /// `--large-cluster-size-threshold`: the zone size above which the secondary rate applies.
        public var largeClusterSizeThreshold: Int = 50
        /// `--unhealthy-zone-threshold`: the share of not-Ready nodes (at least 3) that makes a zone partially disrupted.
        public var unhealthyZoneThreshold: Double = 0.55
        /// The `--horizontal-pod-autoscaler-*` settings.
        public var horizontalPodAutoscaler = HorizontalPodAutoscalerController.Configuration()

        public init(controllers: [String] = ["*"]) {
            self.controllers = controllers
        }

        /// The descriptors `controllers` enables, in their built-in order.
        public var enabled: [ControllerDescriptor] {
            descriptors.filter { Self.isEnabled($0.name, by: controllers) }
        }

        /// upstream's rule: an explicit `name` or `-name` wins over `*`.
        public static func isEnabled(_ name: String, by flags: [String]) -> Bool {
            if flags.contains("-" + name) { return false }
            if flags.contains(name) { return true }
            return flags.contains("*")
        }
    }

    public var restConfig: RESTConfig
    public var configuration: Configuration
    public var leaderElection: LeaderElector.Configuration?
    public var logger: Logger

    public init(restConfig: RESTConfig, configuration: Configuration = Configuration(),
                leaderElection: LeaderElector.Configuration? = nil,
                logger: Logger = Logger(label: "skiff.controller-manager")) {
        self.restConfig = restConfig
        self.configuration = configuration
        self.leaderElection = leaderElection
        self.logger = logger
    }

    /// kube-controller-manager's defaults: Lease `kube-controller-manager`, identity `hostname_uuid`.
    public static func defaultLeaderElection() -> LeaderElector.Configuration {
        let host = ProcessInfo.processInfo.hostName
        return LeaderElector.Configuration(
            leaseName: "kube-controller-manager", identity: "\(host)_\(UUID().uuidString.lowercased())")
    }

    public func run() async throws {
        var config = restConfig
        config.userAgent = "skiff-controller-manager"
        let client = try RESTClient(config: config)
        let elector = leaderElection.map {
            LeaderElector(lock: client.resource(CoordinationV1.Lease.self, namespace: "kube-system"), configuration: $0, logger: logger)
        }
        let enabled = configuration.enabled
        logger.info("controller manager starting", metadata: [
            "controllers": "\(enabled.map(\.name).joined(separator: ","))",
            "leaderElection": "\(elector != nil)",
        ])
        // Shutdown cancels the work; a leader elector that was waiting or leading then
        // throws CancellationError, which is a clean stop, not a failure.
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await client.run() }
                    group.addTask {
                        if let elector {
                            try await elector.run { try await runControllers(enabled, client: client) }
                        } else {
                            try await runControllers(enabled, client: client)
                        }
                    }
                    defer {
                        group.cancelAll()
                        client.close()
                    }
                    try await group.next()
                }
            }
        } catch is CancellationError {}
    }

    /// Makes the controllers (which ask for their informers), starts the informers, waits for
    /// them to sync, then runs every controller until cancelled.
    private func runControllers(_ descriptors: [ControllerDescriptor], client: RESTClient) async throws {
        let informers = InformerFactory(client: client)
        let objects = RESTObjectClient(client: client)
        var made: [(controller: any Controller, recorder: EventRecorder, workers: Int)] = []
        for descriptor in descriptors {
            var controllerLogger = logger
            controllerLogger[metadataKey: "controller"] = "\(descriptor.name)"
            let recorder = EventRecorder(client: client, component: descriptor.name, logger: controllerLogger)
            let context = ControllerContext(informers: informers, client: objects, events: recorder, logger: controllerLogger,
                                            configuration: configuration)
            made.append((descriptor.make(context), recorder, descriptor.workers))
        }
        let running = made
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await informers.run() }
            for entry in running {
                group.addTask { await entry.recorder.run() }
            }
            group.addTask {
                await informers.waitForCacheSync()
                logger.info("informers synced; controllers running")
                await withTaskGroup(of: Void.self) { controllers in
                    for entry in running {
                        controllers.addTask { await entry.controller.run(workers: entry.workers) }
                    }
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
