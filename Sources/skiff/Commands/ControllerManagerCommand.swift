import ArgumentParser
import Foundation
import KubeClient
import KubeControllerManager
import Logging
import ServiceLifecycle

struct ControllerManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-manager",
        abstract: "Run the controllers alone against a cluster (kube-controller-manager).",
        discussion: "`skiff server` runs the controllers in-process already; this runs them as their own process, e.g. to stand by beside another control plane or to measure them. Known controllers: \(ControllerManager.builtInControllers.map(\.name).joined(separator: ", "))."
    )

    @Option(name: .long, help: "kubeconfig of the cluster to manage.")
    var kubeconfig: String

    @Option(name: .long, parsing: .singleValue,
            help: "Controllers to run: '*' for all, 'name' to add one, '-name' to leave one out (repeatable or comma-separated).")
    var controllers: [String] = ["*"]

    @Option(name: .long, help: "Client-side limit on API requests per second (0: none).")
    var kubeApiQps: Double = 0

    @Option(name: .long, help: "Client-side burst of API requests.")
    var kubeApiBurst = 100

    @Option(name: .long, help: "Lead only while holding the kube-system/kube-controller-manager Lease, so several can stand by.")
    var leaderElect = true

    @Option(name: .long, help: "IPv4 range node pod ranges (spec.podCIDR) are cut from.")
    var clusterCidr: String = "10.42.0.0/16"

    @Option(name: .long, help: "How long a node may stop posting status before it is marked Unknown.")
    var nodeMonitorGracePeriod = DurationFlag(.seconds(50))

    @Option(name: .long, help: "Nodes per second tainted for eviction in a healthy zone.")
    var nodeEvictionRate: Double = 0.1

    @Option(name: .long, help: "Nodes per second tainted for eviction in a partially disrupted zone larger than --large-cluster-size-threshold.")
    var secondaryNodeEvictionRate: Double = 0.01

    @Option(name: .long, help: "Zones of at most this many nodes stop evicting when partially disrupted.")
    var largeClusterSizeThreshold: Int = 50

    @Option(name: .long, help: "Share of not-Ready nodes (at least 3) that makes a zone partially disrupted.")
    var unhealthyZoneThreshold: Double = 0.55

    @Option(name: .long, help: "How often each HorizontalPodAutoscaler is evaluated.")
    var horizontalPodAutoscalerSyncPeriod = DurationFlag(.seconds(15))

    @Option(name: .long, help: "How far back the HorizontalPodAutoscaler looks for a higher recommendation before scaling down.")
    var horizontalPodAutoscalerDownscaleStabilization = DurationFlag(.seconds(300))

    var controllerFlags: [String] { controllers.flatMap { $0.split(separator: ",").map(String.init) } }

    func validate() throws {
        let known = Set(ControllerManager.builtInControllers.map(\.name))
        for flag in controllerFlags where flag != "*" {
            let name = flag.hasPrefix("-") ? String(flag.dropFirst()) : flag
            guard known.contains(name) else {
                throw ValidationError("--controllers: unknown controller \(name); known: \(known.sorted().joined(separator: ", "))")
            }
        }
    }

    func run() async throws {
        var logger = Logger(label: "skiff.controller-manager")
        logger.logLevel = .info
        var restConfig = try KubeConfig.load(URL(fileURLWithPath: kubeconfig)).restConfig()
        restConfig.qps = kubeApiQps
        restConfig.burst = kubeApiBurst
        var configuration = ControllerManager.Configuration(controllers: controllerFlags)
        configuration.clusterCIDR = clusterCidr
        configuration.nodeMonitorGracePeriod = nodeMonitorGracePeriod.duration
        configuration.horizontalPodAutoscaler.syncPeriod = horizontalPodAutoscalerSyncPeriod.duration
        configuration.nodeEvictionRate = nodeEvictionRate
        configuration.secondaryNodeEvictionRate = secondaryNodeEvictionRate
        configuration.largeClusterSizeThreshold = largeClusterSizeThreshold
        configuration.unhealthyZoneThreshold = unhealthyZoneThreshold
        configuration.horizontalPodAutoscaler.downscaleStabilizationWindow = horizontalPodAutoscalerDownscaleStabilization.duration
        let service = ControllerManager(
            restConfig: restConfig, configuration: configuration,
            leaderElection: leaderElect ? ControllerManager.defaultLeaderElection() : nil, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
