import Foundation
import KubeClient
import KubeModel
import Logging

/// kube-scheduler: watches pods and nodes through shared informers, takes pending pods from
/// the ``SchedulingQueue`` one at a time, runs its profile's plugins over a snapshot of the
/// ``SchedulerCache``, assumes the pod onto the chosen node and binds it through
/// `pods/binding` in the background. A pod that fits nowhere gets a `FailedScheduling` event
/// and a `PodScheduled=False` condition, may preempt lower-priority pods, and waits until the
/// cluster changes.
///
/// By default the actor runs on a thread of its own (``SchedulingThread``), not on the event
/// loops the process's other tasks share: a run of long cycles (required anti-affinity over
/// thousands of pods) never holds up the network I/O of a busy process such as `skiff server`.
/// A process that only schedules may choose its one event loop instead (``Configuration/executor``).
public actor Scheduler {
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    public struct Configuration: Sendable {
        public var profiles: [SchedulerProfile]
        /// Writes (bindings, status updates, preemptions) in flight at once. Upstream binds in a
        /// goroutine per pod, limited only by the client's QPS. On the 5,000-node benchmark 128
        /// did best: 32 left the scheduler's share of a busy API server too small, and 512 made
        /// every process spend more per pod.
        public var writeConcurrency: Int
        /// Where the scheduling cycles run (nil: ``SchedulingThread``). `skiff scheduler` runs
        /// on one event loop and gives that loop, so the cycles, the informers and the
        /// bindings' I/O share one thread, as the goroutines of a kube-scheduler with
        /// GOMAXPROCS=1 do: no thread wakes another for every pod.
        public var executor: (any SerialExecutor)?

        public init(profiles: [SchedulerProfile], writeConcurrency: Int = 128, executor: (any SerialExecutor)? = nil) {
            self.profiles = profiles
            self.writeConcurrency = writeConcurrency
            self.executor = executor
        }
    }

    /// Counters since start (for logs, benchmarks and tests).
    public struct Statistics: Sendable, Equatable {
        public var attempts = 0
        public var scheduled = 0
        public var unschedulable = 0
        public var errors = 0
        public var bound = 0
        public var bindFailures = 0
        public var preemptions = 0
    }

    let client: RESTClient
    let recorder: EventRecorder
    let logger: Logger
    let configuration: Configuration
    nonisolated let executor: any SerialExecutor
    let frameworks: [String: SchedulingFramework]
    var queue = SchedulingQueue()
    var cache = SchedulerCache()
    /// Pending pods nominated to nodes (after preemption), whose room others must leave.
    var nominator = Nominator()
    var nextStartNodeIndex = 0
    var random = SplitMix64()
    public internal(set) var statistics = Statistics()
    let signal = ChangeSignal()
    let clusterEvents: AsyncStream<ClusterEvent>
    let clusterEventSink: AsyncStream<ClusterEvent>.Continuation
    let writes: AsyncStream<SchedulerWrite>
    let writeSink: AsyncStream<SchedulerWrite>.Continuation

    /// Registers the scheduler's handlers on `informers` (pods and nodes); run the factory
    /// alongside ``run()``.
    public init(client: RESTClient, informers: InformerFactory, recorder: EventRecorder,
                configuration: Configuration, logger: Logger = Logger(label: "skiff.scheduler")) {
        self.client = client
        self.recorder = recorder
        self.logger = logger
        self.configuration = configuration
        executor = configuration.executor ?? SchedulingThread.executor
        frameworks = Dictionary(
            configuration.profiles.map { ($0.schedulerName, SchedulingFramework(profile: $0)) }, uniquingKeysWith: { a, _ in a })
        (clusterEvents, clusterEventSink) = AsyncStream.makeStream(of: ClusterEvent.self)
        (writes, writeSink) = AsyncStream.makeStream(of: SchedulerWrite.self)
        let sink = clusterEventSink
        informers.informer(CoreV1.Pod.self).addEventHandler(EventHandler(
            onAdd: { sink.yield(.podAdded($0)) },
            onUpdate: { sink.yield(.podUpdated(old: $0, new: $1)) },
            onDelete: { sink.yield(.podDeleted($0)) }))
        informers.informer(CoreV1.Node.self).addEventHandler(EventHandler(
            onAdd: { sink.yield(.nodeAdded($0)) },
            onUpdate: { sink.yield(.nodeUpdated(old: $0, new: $1)) },
            onDelete: { sink.yield(.nodeDeleted($0)) }))
        disruptionBudgets = informers.informer(PolicyV1.PodDisruptionBudget.self)
        let claimInformer = informers.informer(CoreV1.PersistentVolumeClaim.self)
        let volumeInformer = informers.informer(CoreV1.PersistentVolume.self)
        let classInformer = informers.informer(StorageV1.StorageClass.self)
        volumeCatalog = InformerVolumeCatalog(
            claims: claimInformer.lister, volumeLister: volumeInformer.lister, classes: classInformer.lister)
        let changes = ChangeSignal()
        volumeChanges = changes
        let storageChanged: @Sendable () -> Void = {
            changes.notify()
            sink.yield(.storageChanged)
        }
        claimInformer.addEventHandler(EventHandler(onAdd: { _ in storageChanged() }, onUpdate: { _, _ in storageChanged() },
                                                   onDelete: { _ in changes.notify() }))
        volumeInformer.addEventHandler(EventHandler(onAdd: { _ in storageChanged() }, onUpdate: { _, _ in storageChanged() },
                                                    onDelete: { _ in changes.notify() }))
        classInformer.addEventHandler(EventHandler(onAdd: { _ in storageChanged() }, onUpdate: { _, _ in storageChanged() },
                                                   onDelete: { _ in }))
        informersToSync = informers
    }

    /// Claims, volumes and storage classes, for the volume plugins.
    let volumeCatalog: InformerVolumeCatalog
    /// Raised on every claim or volume change (PreBind waits on it for bindings to complete).
    let volumeChanges: ChangeSignal

    /// The cluster's PodDisruptionBudgets, read when preempting.
    let disruptionBudgets: Informer<PolicyV1.PodDisruptionBudget>

    private let informersToSync: InformerFactory

    /// Schedules until the task is cancelled. The informer factory must be running.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.applyClusterEvents() }
            group.addTask { await self.performWrites() }
            group.addTask {
                await self.informersToSync.waitForCacheSync()
                await self.scheduleLoop()
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Pending pods per queue (for tests and diagnostics).
    public var pendingCounts: (active: Int, backoff: Int, unschedulable: Int) {
        (queue.activeCount, queue.backoffCount, queue.unschedulableCount)
    }

    private func scheduleLoop() async {
        while !Task.isCancelled {
            guard let queued = await nextPod() else { return }
            scheduleOne(queued)
        }
    }

    private func nextPod() async -> QueuedPodInfo? {
        while !Task.isCancelled {
            let generation = signal.generation
            if let queued = queue.pop(now: .now) { return queued }
            await signal.wait(after: generation, until: queue.nextDeadline)
        }
        return nil
    }
}
