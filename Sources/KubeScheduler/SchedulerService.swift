import Foundation
import KubeClient
import KubeModel
import Logging
import ServiceLifecycle

/// The scheduler as a service: its own REST client, informers and event recorder around a
/// ``Scheduler``, run until graceful shutdown. `skiff server` runs it in-process (over
/// loopback HTTPS, as k3s does); `skiff scheduler` runs it alone, by default behind leader
/// election on the `kube-system/kube-scheduler` Lease so several can stand by.
public struct SchedulerService: Service {
    public var restConfig: RESTConfig
    public var configuration: Scheduler.Configuration
    /// Lead only while holding this Lease in kube-system (nil: always lead).
    public var leaderElection: LeaderElector.Configuration?
    public var logger: Logger

    public init(restConfig: RESTConfig, configuration: Scheduler.Configuration = .init(profiles: [.default()]),
                leaderElection: LeaderElector.Configuration? = nil, logger: Logger = Logger(label: "skiff.scheduler")) {
        self.restConfig = restConfig
        self.configuration = configuration
        self.leaderElection = leaderElection
        self.logger = logger
    }

    /// kube-scheduler's defaults: Lease `kube-scheduler`, identity `hostname_uuid`.
    public static func defaultLeaderElection() -> LeaderElector.Configuration {
        let host = ProcessInfo.processInfo.hostName
        return LeaderElector.Configuration(leaseName: "kube-scheduler", identity: "\(host)_\(UUID().uuidString.lowercased())")
    }

    /// Event writes in flight at once. kube-scheduler starts a goroutine per event, without a
    /// bound; 512 keeps up with a backlog bound at 2,500 pods a second (128 did not, and the
    /// recorder's queue of 1,000 overflowed) and, beside the 128 bindings in flight, stays within
    /// the 1,000 streams an API server connection allows.
    static let eventWriteConcurrency = 512

    public func run() async throws {
        var config = restConfig
        config.userAgent = "skiff-scheduler"
        let client = try RESTClient(config: config)
        // As kube-scheduler's informers, without managedFields: nothing here reads them.
        let informers = InformerFactory(client: client, dropsManagedFields: true)
        // kube-scheduler's events (`tools/events`) are written concurrently, each in its own
        // goroutine: a Scheduled event for every pod bound, however fast.
        let recorder = EventRecorder(client: client, component: "default-scheduler", logger: logger, writeConcurrency: Self.eventWriteConcurrency)
        let scheduler = Scheduler(
            client: client, informers: informers, recorder: recorder, configuration: configuration, logger: logger)
        let elector = leaderElection.map {
            LeaderElector(lock: client.resource(CoordinationV1.Lease.self, namespace: "kube-system"), configuration: $0, logger: logger)
        }
        logger.info("scheduler starting", metadata: [
            "profiles": "\(configuration.profiles.map(\.schedulerName).joined(separator: ","))",
            "leaderElection": "\(elector != nil)",
        ])
        // Runs until shutdown cancels everything; a lost leader election ends the service with an
        // error, as kube-scheduler exits then.
        // Shutdown cancels the work; a leader elector that was waiting or leading then
        // throws CancellationError, which is a clean stop, not a failure.
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await client.run() }
                    group.addTask { await recorder.run() }
                    group.addTask { try await informers.run() }
                    group.addTask {
                        if let elector {
                            try await elector.run { await scheduler.run() }
                        } else {
                            await scheduler.run()
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
}
