import ArgumentParser
import Foundation
import KubeAPIServer
import KubeClient
import KubeControllerManager
import KubeMetricsServer
import KubeScheduler
import KubeStore
import Logging
import ServiceLifecycle

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the control plane: the Kubernetes API server on the embedded store.",
        discussion: "On first start the server creates a cluster CA, serving and admin certificates in the data directory and writes DATA_DIR/kubeconfig.yaml, so `kubectl --kubeconfig DATA_DIR/kubeconfig.yaml get ns` works at once. The scheduler, controller manager and metrics server run in this process (see --disable-scheduler, --disable-controller-manager, --disable-metrics-server); the node agent joins it as its issue lands."
    )

    @Option(name: .long, help: "Directory for the database, certificates and kubeconfig (default: /var/lib/skiff as root, else ~/.local/share/skiff).")
    var dataDir: String?

    @Option(name: .long, help: "HTTPS port of the API server.")
    var httpsPort: Int = 6443

    @Option(name: .long, help: "Address the API server listens on.")
    var bindAddress: String = "0.0.0.0"

    @Option(name: .long, help: "Static bearer tokens, CSV lines token,user,uid,\"group1,group2\".")
    var tokenAuthFile: String?

    @Option(name: .long, help: "IPv4 range of service cluster IPs; the `kubernetes` service gets its first address.")
    var serviceCidr: String = "10.43.0.0/16"

    @Option(name: .long, help: "Address other members of the cluster reach the API server at (default: the host's first non-loopback address).")
    var advertiseAddress: String?

    @Flag(name: .long, help: "Do not run the node agent (kubelet and kube-proxy) in this process.")
    var disableAgent = false

    @Flag(name: .long, help: "Do not run the scheduler in this process (run `skiff scheduler` elsewhere).")
    var disableScheduler = false

    @Flag(name: .long, help: "Do not run the controller manager in this process (run `skiff controller-manager` elsewhere).")
    var disableControllerManager = false

    @OptionGroup(title: "Controller manager")
    var controllerManager: ControllerManagerOptions

    @Flag(name: .long, help: "Do not run the metrics server (metrics.k8s.io for kubectl top and the HorizontalPodAutoscaler) in this process.")
    var disableMetricsServer = false

    @Option(name: .long, help: "How often the metrics server scrapes each node's kubelet /metrics/resource (metrics-server's --metric-resolution).")
    var metricsResolution = DurationFlag(.seconds(15))

    /// Root keeps state in /var/lib/skiff, other users under ~/.local/share/skiff.
    static func defaultDataDirectory() -> URL {
        if getuid() == 0 { return URL(fileURLWithPath: "/var/lib/skiff", isDirectory: true) }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".local/share/skiff", isDirectory: true)
    }

    func run() async throws {
        var logger = Logger(label: "skiff.server")
        logger.logLevel = .info
        let dataDirectory = dataDir.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? Self.defaultDataDirectory()
        guard let serviceNetwork = ServiceNetwork(cidr: serviceCidr) else {
            throw ValidationError("--service-cidr must be an IPv4 CIDR between /8 and /30, e.g. 10.43.0.0/16")
        }
        let host = HostAddresses.current()
        let pki = try ClusterPKI.loadOrCreate(
            directory: dataDirectory, hostnames: host.hostnames, ipAddresses: host.ipAddresses,
            serviceIP: serviceNetwork.firstAddress, logger: logger)
        let kubeconfig = try Kubeconfig.writeAdmin(
            to: dataDirectory, server: "https://127.0.0.1:\(httpsPort)", pki: pki)
        let tokens = try tokenAuthFile.map { try TokenFile(contentsOf: URL(fileURLWithPath: $0)) } ?? TokenFile()

        let dbDirectory = dataDirectory.appendingPathComponent("db", isDirectory: true)
        try FileManager.default.createDirectory(at: dbDirectory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dbDirectory.appendingPathComponent("state.db").path)
        let watchCache = WatchCache(store: store, logger: logger)
        var registry = ResourceRegistry(store: store)
        registry.serviceNetwork = serviceNetwork
        registry.watchCache = watchCache
        let signer = ServiceAccountTokenSigner(
            key: try ServiceAccountTokenSigner.loadOrCreateKey(in: dataDirectory.appendingPathComponent("tls", isDirectory: true)))
        registry.tokenSigner = signer
        try await registry.ensureDefaultNamespaces()
        try await registry.repairServiceAllocations()
        let advertised = advertiseAddress
            ?? host.ipAddresses.first { IPAddress($0).map { !$0.isLoopback && $0.isIPv4 } ?? false } ?? "127.0.0.1"
        try await registry.ensureKubernetesService(advertiseAddress: advertised, port: Int32(httpsPort))
        let readiness = ReadinessFlag()
        readiness.markReady()

        // Components reach the API server over loopback HTTPS with the admin credentials.
        var restConfig = try KubeConfig.load(kubeconfig).restConfig()
        restConfig.qps = 0
        // metrics.k8s.io is served beside the registry, from the metrics server's scrapes.
        var metricsServer: MetricsServer?
        if !disableMetricsServer {
            var metricsLogger = Logger(label: "skiff.metrics-server")
            metricsLogger.logLevel = .info
            metricsServer = try MetricsServer(
                restConfig: restConfig, configuration: MetricsServer.Configuration(resolution: metricsResolution.duration),
                logger: metricsLogger)
        }
        let handler: any ResourceRequestHandler = metricsServer.map {
            DelegatingRequestHandler(base: registry, delegates: [MetricsAPI.delegate($0.apiHandler)])
        } ?? registry

        let version = SkiffVersion.current
        let server = APIServer(
            configuration: APIServer.Configuration(
                host: bindAddress, port: httpsPort, pki: pki, tokens: tokens,
                serviceAccounts: ServiceAccountTokenAuthenticator(signer: signer) { [registry] resource, namespace, name in
                    await registry.uid(resource: resource, namespace: namespace, name: name)
                },
                version: ServerVersion(major: version.major, minor: version.minor, gitVersion: version.gitVersion)),
            handler: handler,
            isReady: { readiness.isReady && watchCache.isReady },
            onListening: { port in
                print("skiff server listening on https://\(bindAddress):\(port); kubeconfig: \(kubeconfig.path)")
            },
            logger: logger)
        // Shut down in reverse: components first, then the server drains its watches before the
        // cache stops.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: watchCache),
            .init(service: server),
            .init(service: StoreMaintenanceService(store: store)),
        ]
        if let metricsServer { services.append(.init(service: metricsServer)) }
        if !disableControllerManager {
            var managerLogger = Logger(label: "skiff.controller-manager")
            managerLogger.logLevel = .info
            let configuration = controllerManager.configuration
            // Behind the kube-controller-manager Lease, so that several servers run one set of controllers.
            services.append(.init(service: ControllerManager(
                restConfig: restConfig, configuration: configuration,
                leaderElection: ControllerManager.defaultLeaderElection(), logger: managerLogger)))
        }
        if !disableScheduler {
            var schedulerLogger = Logger(label: "skiff.scheduler")
            schedulerLogger.logLevel = .info
            // Behind the kube-scheduler Lease too, so that several servers schedule with one scheduler.
            services.append(.init(service: SchedulerService(
                restConfig: restConfig, leaderElection: SchedulerService.defaultLeaderElection(), logger: schedulerLogger)))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // Open watches never finish on their own: after a short drain, cancel what is left.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(5)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}
