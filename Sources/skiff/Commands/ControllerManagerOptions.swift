import ArgumentParser
import KubeControllerManager

/// The controller manager's flags (kube-controller-manager's names and defaults), shared by
/// `skiff controller-manager` and `skiff server`, which runs it in-process.
struct ControllerManagerOptions: ParsableArguments {
    @Option(name: .long, parsing: .singleValue,
            help: "Controllers to run: '*' for all, 'name' to add one, '-name' to leave one out (repeatable or comma-separated).")
    var controllers: [String] = ["*"]

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

    /// The controller manager's configuration these flags describe.
    var configuration: ControllerManager.Configuration {
        var configuration = ControllerManager.Configuration(controllers: controllerFlags)
        configuration.clusterCIDR = clusterCidr
        configuration.nodeMonitorGracePeriod = nodeMonitorGracePeriod.duration
        configuration.nodeEvictionRate = nodeEvictionRate
        configuration.secondaryNodeEvictionRate = secondaryNodeEvictionRate
        configuration.largeClusterSizeThreshold = largeClusterSizeThreshold
        configuration.unhealthyZoneThreshold = unhealthyZoneThreshold
        configuration.horizontalPodAutoscaler.syncPeriod = horizontalPodAutoscalerSyncPeriod.duration
        configuration.horizontalPodAutoscaler.downscaleStabilizationWindow = horizontalPodAutoscalerDownscaleStabilization.duration
        return configuration
    }
}
