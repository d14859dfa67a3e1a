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

    @Option(name: .long, help: "Client-side limit on API requests per second (0: none).")
    var kubeApiQps: Double = 0

    @Option(name: .long, help: "Client-side burst of API requests.")
    var kubeApiBurst = 100

    @Option(name: .long, help: "Lead only while holding the kube-system/kube-controller-manager Lease, so several can stand by.")
    var leaderElect = true

    @OptionGroup var controllerManager: ControllerManagerOptions

    func run() async throws {
        var logger = Logger(label: "skiff.controller-manager")
        logger.logLevel = .info
        var restConfig = try KubeConfig.load(URL(fileURLWithPath: kubeconfig)).restConfig()
        restConfig.qps = kubeApiQps
        restConfig.burst = kubeApiBurst
        let configuration = controllerManager.configuration
        let service = ControllerManager(
            restConfig: restConfig, configuration: configuration,
            leaderElection: leaderElect ? ControllerManager.defaultLeaderElection() : nil, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
