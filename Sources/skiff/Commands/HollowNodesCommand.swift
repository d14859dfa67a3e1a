import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import Kubemark
import Logging
import ServiceLifecycle

struct HollowNodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hollow-nodes",
        abstract: "Register hollow nodes: kubelets that talk to the API but run no containers (like kubemark).",
        discussion: """
            Registers COUNT nodes named PREFIX0, PREFIX1, … and keeps them Ready the way kubelets do: \
            each renews its Lease in kube-node-lease every 10 seconds and re-posts its status every \
            5 minutes. A pod bound to one of the nodes is reported Running (with a pod IP from the \
            node's pod CIDR, or a synthetic /24) and Ready at once; a pod being deleted is removed \
            immediately. Node InternalIPs are loopback addresses (127.64.0.1, …) at which one \
            listener serves each node's kubelet /metrics/resource with synthetic usage. No container is started. One process holds thousands of nodes over a single \
            connection; stop it with Ctrl-C or SIGTERM (the nodes stay registered; their Leases are no \
            longer renewed).

            Example: skiff hollow-nodes --kubeconfig /var/lib/skiff/kubeconfig.yaml --count 100 \
            --labels node-role.kubernetes.io/hollow=,zone=a --taints hollow=true:NoSchedule
            """
    )

    @Option(name: .long, help: ArgumentHelp("Kubeconfig of the cluster to join (default: $KUBECONFIG, else ~/.kube/config).", valueName: "file"))
    var kubeconfig: String?

    @Option(name: .long, help: ArgumentHelp("Kubeconfig context to use (default: its current context).", valueName: "name"))
    var context: String?

    @Option(name: .long, help: ArgumentHelp("How many nodes to register (1–\(HollowNodeConfiguration.maximumCount)).", valueName: "n"))
    var count: Int

    @Option(name: .long, help: ArgumentHelp("Node names are this prefix followed by the node's index.", valueName: "prefix"))
    var namePrefix = "hollow-node-"

    @Option(name: .long, help: ArgumentHelp("CPU capacity of each node.", valueName: "quantity"))
    var cpu = "8"

    @Option(name: .long, help: ArgumentHelp("Memory capacity of each node.", valueName: "quantity"))
    var memory = "32Gi"

    @Option(name: .long, help: ArgumentHelp("Ephemeral storage capacity of each node.", valueName: "quantity"))
    var ephemeralStorage = "100Gi"

    @Option(name: .long, help: ArgumentHelp("Most pods each node runs (kubelet's --max-pods).", valueName: "n"))
    var pods = 110

    @Option(name: .long, help: ArgumentHelp("Extra node labels, key=value,… (kubelet's --node-labels).", valueName: "labels"))
    var labels = ""

    @Option(name: .long, help: ArgumentHelp("Taints to register with, key=value:Effect or key:Effect,… (kubelet's --register-with-taints).", valueName: "taints"))
    var taints = ""

    @Option(name: .long, help: ArgumentHelp("Kubelet version the nodes report (default: the API server's version).", valueName: "version"))
    var kubeletVersion: String?

    @Option(name: .long, help: ArgumentHelp("Requests per second to the API server, for the whole fleet.", valueName: "qps"))
    var kubeApiQps: Double = 2000

    @Option(name: .long, help: ArgumentHelp("Burst of requests allowed above --kube-api-qps.", valueName: "n"))
    var kubeApiBurst = 4000

    @Option(name: .long, help: ArgumentHelp("Pods updated or deleted at once.", valueName: "n"))
    var podWorkers = 16

    @Option(name: .long, help: ArgumentHelp("Lease renewals and status reports in flight at once.", valueName: "n"))
    var heartbeatWorkers = 32

    @Option(name: .long, help: ArgumentHelp("Heartbeats fall due on multiples of this tick, so the nodes due in one tick renew together (0s: each node on its own).", valueName: "duration"))
    var heartbeatTick = DurationFlag(.milliseconds(20))

    @Option(name: .long, help: ArgumentHelp("CPU each container uses (its pod's hollow.skiff.dev/usage annotation, e.g. \"cpu=250m,memory=64Mi\" or \"web:cpu=500m\", overrides it).", valueName: "quantity"))
    var podCpuUsage = "10m"

    @Option(name: .long, help: ArgumentHelp("Memory working set of each container (see --pod-cpu-usage).", valueName: "quantity"))
    var podMemoryUsage = "16Mi"

    @Option(name: .long, help: ArgumentHelp("CPU each node uses on top of its pods.", valueName: "quantity"))
    var nodeBaseCpuUsage = "50m"

    @Option(name: .long, help: ArgumentHelp("Memory each node uses on top of its pods.", valueName: "quantity"))
    var nodeBaseMemoryUsage = "256Mi"

    @Option(name: .long, help: ArgumentHelp("Port of the nodes' kubelet stats endpoint (/metrics/resource over h2c; 0: any free port).", valueName: "port"))
    var kubeletPort = 0

    @Option(name: .long, help: ArgumentHelp("Address the kubelet stats endpoint binds to (nodes' InternalIPs are in 127.64.0.0/10).", valueName: "address"))
    var kubeletBindAddress = "0.0.0.0"

    @Flag(name: .long, help: "Log every retried request and re-registration.")
    var verbose = false

    func validate() throws {
        _ = try fleetConfiguration()
        guard (0...65535).contains(kubeletPort) else { throw ValidationError("--kubelet-port must be between 0 and 65535") }
        guard kubeApiQps > 0 else { throw ValidationError("--kube-api-qps must be positive") }
        guard kubeApiBurst >= 1 else { throw ValidationError("--kube-api-burst must be at least 1") }
        guard podWorkers >= 1, heartbeatWorkers >= 1 else {
            throw ValidationError("--pod-workers and --heartbeat-workers must be at least 1")
        }
        guard heartbeatTick.duration < HollowNodeConfiguration(count: 1).leaseRenewInterval else {
            throw ValidationError("--heartbeat-tick must be shorter than the Lease renew interval (10s)")
        }
    }

    /// The fleet the flags describe; a ValidationError says which flag is wrong and how.
    func fleetConfiguration() throws -> HollowNodeConfiguration {
        guard (1...HollowNodeConfiguration.maximumCount).contains(count) else {
            throw ValidationError("--count must be between 1 and \(HollowNodeConfiguration.maximumCount)")
        }
        let longestName = namePrefix + String(count - 1)
        if let problem = NameValidation.isDNS1123Subdomain(longestName).first {
            throw ValidationError("--name-prefix \"\(namePrefix)\" does not make valid node names (\"\(longestName)\": \(problem))")
        }
        guard pods >= 1 else { throw ValidationError("--pods must be at least 1") }
        do {
            var capacity = HollowNodeConfiguration.defaultCapacity
            capacity["cpu"] = try HollowNodeFlags.quantity(cpu, flag: "cpu")
            capacity["memory"] = try HollowNodeFlags.quantity(memory, flag: "memory")
            capacity["ephemeral-storage"] = try HollowNodeFlags.quantity(ephemeralStorage, flag: "ephemeral-storage")
            capacity["pods"] = Quantity(value: Int64(pods))
            var configuration = HollowNodeConfiguration(
                count: count, namePrefix: namePrefix, capacity: capacity,
                labels: try HollowNodeFlags.labels(labels), taints: try HollowNodeFlags.taints(taints),
                kubeletVersion: kubeletVersion)
            configuration.podWorkers = podWorkers
            configuration.heartbeatWorkers = heartbeatWorkers
            configuration.heartbeatTick = heartbeatTick.duration
            configuration.podUsage = HollowResourceUsage(
                cpu: try HollowNodeFlags.quantity(podCpuUsage, flag: "pod-cpu-usage"),
                memory: try HollowNodeFlags.quantity(podMemoryUsage, flag: "pod-memory-usage"))
            configuration.nodeBaseUsage = HollowResourceUsage(
                cpu: try HollowNodeFlags.quantity(nodeBaseCpuUsage, flag: "node-base-cpu-usage"),
                memory: try HollowNodeFlags.quantity(nodeBaseMemoryUsage, flag: "node-base-memory-usage"))
            configuration.kubeletPort = kubeletPort
            configuration.statsBindAddress = kubeletBindAddress
            return configuration
        } catch {
            // HollowNodeFlags throws InvalidValue only.
            throw ValidationError(error.description)
        }
    }

    /// --kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config.
    func kubeconfigURL() -> URL {
        if let kubeconfig { return URL(fileURLWithPath: kubeconfig) }
        if let environment = ProcessInfo.processInfo.environment["KUBECONFIG"],
           let first = environment.split(separator: ":").first {
            return URL(fileURLWithPath: String(first))
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".kube/config")
    }

    func run() async throws {
        var logger = Logger(label: "skiff.hollow-nodes")
        logger.logLevel = verbose ? .debug : .info
        let fleetConfiguration = try fleetConfiguration()
        let file = kubeconfigURL()
        var config: RESTConfig
        do {
            config = try KubeConfig.load(file).restConfig(context: context)
        } catch {
            throw ValidationError("cannot use the kubeconfig \(file.path): \(error)")
        }
        config.qps = kubeApiQps
        config.burst = kubeApiBurst
        config.userAgent = "skiff-hollow-nodes/\(SkiffVersion.current.gitVersion)"
        let client = try RESTClient(config: config)
        let fleet = HollowNodeFleet(client: client, configuration: fleetConfiguration, logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                // Shut down in reverse: the fleet stops before its connection closes.
                .init(service: RESTClientService(client: client)),
                .init(service: fleet),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
