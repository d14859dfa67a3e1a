import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `horizontal-pod-autoscaler-controller` (autoscaling/v2): every sync period each
/// HorizontalPodAutoscaler reads its target's `scale` subresource, computes the replicas its
/// metrics ask for (resource metrics from `metrics.k8s.io`), stabilizes and rate-limits that
/// recommendation, writes the new size through the `scale` subresource and records its status.
public struct HorizontalPodAutoscalerController: Controller {
    public static let controllerName = "horizontal-pod-autoscaler-controller"

    /// upstream's `--horizontal-pod-autoscaler-*` settings.
    public struct Configuration: Sendable {
        /// `--horizontal-pod-autoscaler-sync-period`: how often each autoscaler is reconciled.
        public var syncPeriod: Duration = .seconds(15)
        /// `--horizontal-pod-autoscaler-downscale-stabilization`: the scale-down stabilization
        /// window when the autoscaler's behavior does not set one.
        public var downscaleStabilizationWindow: Duration = .seconds(300)
        /// `--horizontal-pod-autoscaler-tolerance`: the usage ratio change below which nothing scales.
        public var tolerance: Double = 0.1
        /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
        public var cpuInitializationPeriod: Duration = .seconds(300)
        /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
        public var initialReadinessDelay: Duration = .seconds(30)

        public init() {}
    }

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let autoscalers: Lister<AutoscalingV2.HorizontalPodAutoscaler>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    let configuration: Configuration
    let metrics: any ResourceMetricsSource
    let calculator: ReplicaCalculator
    /// The recommendations and scale events of each autoscaler.
    public let history: ScalingHistory
    let selectors: HorizontalPodAutoscalerSelectors
    let clock: @Sendable () -> Date

    /// `metrics` defaults to the API server's `metrics.k8s.io` (through the manager's REST client).
    public init(context: ControllerContext, metrics: (any ResourceMetricsSource)? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        logger = context.logger
        configuration = context.configuration.horizontalPodAutoscaler
        self.metrics = metrics
            ?? (context.client as? RESTObjectClient).map { RESTResourceMetricsSource(client: $0.client) }
            ?? StaticResourceMetricsSource()
        calculator = ReplicaCalculator(cpuInitializationPeriod: configuration.cpuInitializationPeriod,
                                       delayOfInitialReadinessStatus: configuration.initialReadinessDelay)
        history = ScalingHistory()
        let selectors = HorizontalPodAutoscalerSelectors()
        self.selectors = selectors
        self.clock = clock
        let autoscalerInformer = context.informers.informer(AutoscalingV2.HorizontalPodAutoscaler.self)
        autoscalers = autoscalerInformer.lister
        pods = context.informers.informer(CoreV1.Pod.self).lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        // Every autoscaler waits one sync period in the queue before each pass, as upstream's
        // fixed-interval rate limiter makes it; a pending pass is never postponed.
        let period = configuration.syncPeriod
        let enqueue: @Sendable (AutoscalingV2.HorizontalPodAutoscaler) -> Void = { autoscaler in
            let key = ObjectKeys.key(of: autoscaler)
            queue.addAfter(key, period)
            selectors.register(key)
        }
        autoscalerInformer.addEventHandler(EventHandler(
            onAdd: enqueue,
            onUpdate: { _, autoscaler in enqueue(autoscaler) },
            onDelete: { selectors.remove(ObjectKeys.key(of: $0)) }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// One pass over autoscaler `key`; always comes back one sync period later while the
    /// autoscaler exists (failures included, as upstream).
    public func reconcile(_ key: String) async throws {
        let deleted: Bool
        do {
            deleted = try await sync(key)
        } catch let error as CancellationError {
            throw error
        } catch {
            logger.warning("horizontal pod autoscaler sync failed", metadata: ["key": "\(key)", "error": "\(error)"])
            deleted = false
        }
        if !deleted { throw RequeueAfter(configuration.syncPeriod) }
    }

    /// Reconciles `key`; answers whether the autoscaler is gone (its history is then forgotten).
    func sync(_ key: String) async throws -> Bool {
        let (namespace, name) = ObjectKeys.split(key)
        guard let autoscaler = autoscalers.get(namespace: namespace, name: name) else {
            history.forget(key)
            return true
        }
        try await reconcileAutoscaler(autoscaler, key: key)
        return false
    }

    /// An error whose text is upstream's (`err.Error()`): a server's Status message as is.
    static func text(_ error: any Error) -> String {
        if let status = error as? StatusError { return status.message }
        return "\(error)"
    }
}
