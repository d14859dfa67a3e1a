import KubeClient
import KubeModel
import Logging

/// The two heartbeats of every fleet node, as kubelet sends them: the node's Lease renewed every
/// `leaseRenewInterval` (kubelet's node lease controller), and its status re-posted every
/// `statusReportFrequency` with fresh `lastHeartbeatTime`s (or at once when it no longer says
/// what the node reports).
///
/// One delaying work queue holds a due time per node and heartbeat, served by a fixed number of
/// workers — no task per node. Node *i* of *N* beats at offset *i/N* of each interval, rounded
/// down to the fleet's heartbeat tick, so the fleet's renewals are spread over the interval in
/// small groups (with 5,000 nodes and a 20 ms tick, 10 Lease renewals every 20 ms) that share
/// the connection's writes and the server's commits; a failed beat is retried after 200 ms
/// doubling to 7 s (kubelet's backoff).
final class NodeHeartbeat: Sendable {
    enum Beat: Hashable, Sendable {
        case lease(Int)
        case status(Int)
    }

    let client: RESTClient
    let template: HollowNodeTemplate
    let table: FleetNodeTable
    let registrar: NodeRegistrar
    let logger: Logger
    let queue = WorkQueue<Beat>(rateLimiter: ItemExponentialFailureRateLimiter(base: .milliseconds(200), max: .seconds(7)))
    let schedule: BeatSchedule

    private var configuration: HollowNodeConfiguration { template.configuration }
    // Objects are read back without managedFields (never looked at here; updates sent
    // without them keep the stored ones).
    private var nodes: ResourceClient<CoreV1.Node> { client.resource(CoreV1.Node.self).droppingManagedFields() }
    private var leases: ResourceClient<CoordinationV1.Lease> {
        client.resource(CoordinationV1.Lease.self, namespace: HollowNodeConfiguration.leaseNamespace).droppingManagedFields()
    }

    init(client: RESTClient, template: HollowNodeTemplate, table: FleetNodeTable, registrar: NodeRegistrar,
         logger: Logger, epoch: ContinuousClock.Instant = .now) {
        self.client = client
        self.template = template
        self.table = table
        self.registrar = registrar
        self.logger = logger
        schedule = BeatSchedule(epoch: epoch, count: table.count, tick: template.configuration.heartbeatTick)
    }

    /// Schedules the beats of node `index` (just registered).
    func start(_ index: Int) async {
        let now = ContinuousClock.now
        await queue.addAfter(.lease(index), schedule.nextSlot(for: index, every: configuration.leaseRenewInterval, after: now) - now)
        await queue.addAfter(.status(index), schedule.nextSlot(for: index, every: configuration.statusReportFrequency, after: now) - now)
    }

    /// Serves beats with `workers` workers until cancelled.
    func run(workers: Int) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask { await self.work() }
            }
            await group.waitForAll()
        }
    }

    private func work() async {
        while let beat = await queue.get() {
            do {
                let interval: Duration, index: Int
                switch beat {
                case .lease(let node):
                    (interval, index) = (configuration.leaseRenewInterval, node)
                    try await renewLease(node)
                case .status(let node):
                    (interval, index) = (configuration.statusReportFrequency, node)
                    try await reportStatus(node)
                }
                await queue.forget(beat)
                let now = ContinuousClock.now
                await queue.addAfter(beat, schedule.nextSlot(for: index, every: interval, after: now) - now)
            } catch where error is CancellationError || Task.isCancelled {
                // Stopping: requests cut off by the cancellation are not failures.
                await queue.done(beat)
                return
            } catch {
                if await queue.retries(beat) == 0 {
                    logger.warning("heartbeat failed; retrying", metadata: ["beat": "\(beat)", "error": "\(error)"])
                }
                await queue.addRateLimited(beat)
            }
            await queue.done(beat)
        }
    }

    /// Renews the node's Lease from the copy last written (no read), as kubelet; on a conflict
    /// or a missing Lease, reads (or recreates) it and tries again.
    func renewLease(_ index: Int) async throws {
        let identity = table.identities[index]
        let record = table.record(index)
        if var lease = record.lease {
            lease.spec.renewTime = .now()
            lease.spec.holderIdentity = identity.name
            lease.spec.leaseDurationSeconds = configuration.leaseDurationSeconds
            do {
                let renewed = try await leases.update(lease)
                table.update(index) { $0.lease = renewed }
                return
            } catch let error as StatusError where error.isConflict || error.isNotFound {
                table.update(index) { $0.lease = nil }
            }
        }
        let lease = try await registrar.ensureLease(identity, nodeUID: record.uid)
        table.update(index) { $0.lease = lease }
    }

    /// Re-posts the node's status with fresh heartbeat times (retrying conflicts with a fresh
    /// read, 5 times as kubelet's `nodeStatusUpdateRetry`); re-registers a node that was deleted.
    func reportStatus(_ index: Int) async throws {
        let identity = table.identities[index]
        do {
            let node = try await TransientRetry.run(attempts: 5) {
                let current = try await nodes.get(identity.name)
                return try await registrar.postStatus(of: current, identity: identity)
            }
            table.observe(node, at: index)
        } catch let error as StatusError where error.isNotFound {
            logger.info("hollow node was deleted; registering it again", metadata: ["node": "\(identity.name)"])
            try await registrar.register(index)
        }
    }
}
