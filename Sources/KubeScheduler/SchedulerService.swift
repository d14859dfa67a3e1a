import KubeClient
import Logging
import ServiceLifecycle

/// The scheduler as a service: its own REST client, informers and event recorder around a
/// ``Scheduler``, run until graceful shutdown. `skiff server` runs it in-process (over
/// loopback HTTPS, as k3s does); `skiff scheduler` runs it alone.
public struct SchedulerService: Service {
    public var restConfig: RESTConfig
    public var configuration: Scheduler.Configuration
    public var logger: Logger

    public init(restConfig: RESTConfig, configuration: Scheduler.Configuration = .init(profiles: [.default()]),
                logger: Logger = Logger(label: "skiff.scheduler")) {
        self.restConfig = restConfig
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        var config = restConfig
        config.userAgent = "skiff-scheduler"
        let client = try RESTClient(config: config)
        let informers = InformerFactory(client: client)
        let recorder = EventRecorder(client: client, component: "default-scheduler", logger: logger)
        let scheduler = Scheduler(
            client: client, informers: informers, recorder: recorder, configuration: configuration, logger: logger)
        logger.info("scheduler starting", metadata: [
            "profiles": "\(configuration.profiles.map(\.schedulerName).joined(separator: ","))",
        ])
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            group.addTask { await recorder.run() }
            group.addTask { try await informers.run() }
            group.addTask { await scheduler.run() }
            // Everything runs until shutdown; pending event writes are dropped then.
            try? await gracefulShutdown()
            group.cancelAll()
            client.close()
        }
    }
}
