import ArgumentParser
import Foundation
import KubeClient
import KubeScheduler
import Logging
import NIOPosix
import ServiceLifecycle

struct SchedulerCommand: AsyncParsableCommand, PreferredEventLoopCount {
    /// One event loop, which also runs the scheduling cycles: with one loop per core, every
    /// binding and watch event crossed threads (a wake-up each), and so did every pod with the
    /// cycles on a thread of their own. On two cores each step cut the benchmark's scheduler
    /// CPU per pod by about a tenth (docs/performance.md, sessions 20 and 22).
    static let preferredEventLoops = 1

    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the scheduler alone against a cluster (kube-scheduler).",
        discussion: "`skiff server` runs the scheduler in-process already; this runs it as its own process, e.g. to measure it or to run it beside another control plane. It assigns pending pods whose spec.schedulerName matches --scheduler-name to nodes through pods/binding."
    )

    @Option(name: .long, help: "kubeconfig of the cluster to schedule for.")
    var kubeconfig: String

    @Option(name: .long, help: "Serve pods with this spec.schedulerName.")
    var schedulerName = "default-scheduler"

    @Option(name: .long, help: "Client-side limit on API requests per second (0: none).")
    var kubeApiQps: Double = 0

    @Option(name: .long, help: "Client-side burst of API requests.")
    var kubeApiBurst = 100

    @Option(name: .long, help: "Lead only while holding the kube-system/kube-scheduler Lease, so several schedulers can stand by.")
    var leaderElect = true

    @Option(name: .long, help: "Percentage of nodes to find feasible before scoring (0: upstream's adaptive default).")
    var percentageOfNodesToScore = 0

    func validate() throws {
        guard (0...100).contains(percentageOfNodesToScore) else {
            throw ValidationError("--percentage-of-nodes-to-score must be between 0 and 100")
        }
    }

    func run() async throws {
        var logger = Logger(label: "skiff.scheduler")
        logger.logLevel = .info
        var restConfig = try KubeConfig.load(URL(fileURLWithPath: kubeconfig)).restConfig()
        restConfig.qps = kubeApiQps
        restConfig.burst = kubeApiBurst
        var profile = SchedulerProfile.default(schedulerName: schedulerName)
        profile.percentageOfNodesToScore = percentageOfNodesToScore
        let service = SchedulerService(
            restConfig: restConfig,
            configuration: .init(profiles: [profile], executor: MultiThreadedEventLoopGroup.singleton.next().executor),
            leaderElection: leaderElect ? SchedulerService.defaultLeaderElection() : nil, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
