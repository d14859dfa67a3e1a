import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `replicaset-controller` (and, with a ReplicationController as `Owner`,
/// `replicationcontroller-controller`): keeps as many active pods as the owner asks for,
/// adopting matching orphans and releasing pods that stop matching, and reports the counts in
/// the owner's status.
public struct ReplicaSetController<Owner: ReplicatedPodOwner>: Controller {
    /// upstream's `BurstReplicas`: at most this many creations or deletions per sync.
    public static var burstReplicas: Int { 500 }
    /// upstream's `SlowStartInitialBatchSize`.
    public static var slowStartInitialBatchSize: Int { 1 }
    /// upstream's `statusUpdateRetries`.
    static var statusUpdateRetries: Int { 1 }

    public var name: String { Owner.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let owners: Lister<Owner>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    let expectations = ControllerExpectations()
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        logger = context.logger
        self.now = now
        let ownerInformer = context.informers.informer(Owner.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        owners = ownerInformer.lister
        pods = podInformer.lister
        let queue = ControllerQueue(name: Owner.controllerName, logger: context.logger)
        self.queue = queue
        let handlers = PodEventHandlers(owners: owners, queue: queue, expectations: expectations)
        let expectations = expectations
        ownerInformer.addEventHandler(EventHandler(
            onAdd: { queue.add(ObjectKeys.key(of: $0)) },
            onUpdate: { _, owner in queue.add(ObjectKeys.key(of: owner)) },
            onDelete: { owner in
                let key = ObjectKeys.key(of: owner)
                expectations.delete(key)
                queue.add(key)
            }))
        podInformer.addEventHandler(EventHandler(
            onAdd: handlers.added, onUpdate: handlers.updated, onDelete: handlers.deleted))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// upstream's `syncReplicaSet`: claims the active pods, creates or deletes pods when the
    /// expectations of the last pass were met, then writes the status.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let owner = owners.get(namespace: namespace, name: name) else {
            expectations.delete(key)
            return
        }
        let needsSync = expectations.satisfied(key)
        let selector: Labels.Selector
        do {
            selector = try owner.podSelector()
        } catch {
            logger.warning("invalid selector", metadata: ["key": "\(key)", "error": "\(error)"])
            return
        }
        let allPods = pods.list(namespace: namespace)
        let active = allPods.filter(PodReadiness.isActive)
        let claimed = try await claimPods(owner, selector: selector, from: active)

        var manageError: (any Error)?
        if needsSync && owner.metadata.deletionTimestamp == nil {
            do {
                try await manageReplicas(claimed, owner: owner, key: key)
            } catch {
                manageError = error
            }
        }
        let terminating = allPods.filter {
            PodReadiness.isTerminating($0) && OwnerReferences.controller(of: $0)?.uid == owner.metadata.uid
                && selector.matches($0.metadata.labels ?? [:])
        }
        let status = Self.calculateStatus(owner, pods: claimed, terminating: terminating.count,
                                          manageError: manageError, now: now())
        let updated = try await updateStatus(owner, to: status)
        let minReady = owner.minReadySeconds
        if manageError == nil, minReady > 0,
           (updated.replicaStatus.readyReplicas ?? 0) == owner.desiredReplicas,
           (updated.replicaStatus.availableReplicas ?? 0) != owner.desiredReplicas {
            queue.addAfter(key, .seconds(Int64(minReady)))
        }
        if let manageError { throw manageError }
    }

    /// Adopts matching orphans and releases owned pods that stopped matching.
    func claimPods(_ owner: Owner, selector: Labels.Selector, from pods: [CoreV1.Pod]) async throws -> [CoreV1.Pod] {
        let manager = ControllerRefManager(owner: owner, client: client)
        let (claimed, errors) = await manager.claim(pods) { selector.matches($0.metadata.labels ?? [:]) }
        if let first = errors.first { throw first }
        return claimed
    }
}
