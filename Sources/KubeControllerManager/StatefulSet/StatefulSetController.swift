import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `statefulset-controller`: pods with stable names, claims and ordered
/// creation, scaling and rolling updates, recorded as ControllerRevisions.
public struct StatefulSetController: Controller {
    public static let controllerName = "statefulset-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let logger: Logger
    let sets: Lister<AppsV1.StatefulSet>
    let pods: Lister<CoreV1.Pod>
    let queue: ControllerQueue
    let expectations: ControllerExpectations
    let control: StatefulSetControl
    /// The pod informer's handlers (tests feed them directly).
    let podEvents: OwnedPodEvents<AppsV1.StatefulSet>

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        logger = context.logger
        let setInformer = context.informers.informer(AppsV1.StatefulSet.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        let claimInformer = context.informers.informer(CoreV1.PersistentVolumeClaim.self)
        let revisionInformer = context.informers.informer(AppsV1.ControllerRevision.self)
        sets = setInformer.lister
        pods = podInformer.lister
        let expectations = ControllerExpectations()
        self.expectations = expectations
        let podControl = StatefulPodControl(client: context.client, claims: claimInformer.lister, events: context.events,
                                            expectations: expectations)
        control = StatefulSetControl(
            podControl: podControl, history: RevisionHistory(client: context.client, revisions: revisionInformer.lister),
            client: context.client, sets: setInformer.lister, now: now)
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        setInformer.addEventHandler(EventHandler(
            onAdd: { queue.add(ObjectKeys.key(of: $0)) },
            onUpdate: { _, set in queue.add(ObjectKeys.key(of: set)) },
            onDelete: { set in
                expectations.delete(ObjectKeys.key(of: set))
                queue.add(ObjectKeys.key(of: set))
            }))
        let handlers = OwnedPodEvents<AppsV1.StatefulSet>(
            owners: setInformer.lister, queue: queue, expectations: expectations, selector: { $0.spec.selector },
            minReadySeconds: { $0.spec.minReadySeconds }, terminatingIsDeleted: false)
        podEvents = handlers
        podInformer.addEventHandler(EventHandler(onAdd: handlers.added, onUpdate: handlers.updated, onDelete: handlers.deleted))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// upstream's `sync`: adopts orphan revisions, claims the set's pods, runs one pass of the
    /// control loop, and comes back after minReadySeconds while pods are ready but not available.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let set = sets.get(namespace: namespace, name: name) else {
            expectations.delete(key)
            return
        }
        let selector: Labels.Selector
        do {
            selector = try Labels.Selector(set.spec.selector)
        } catch {
            logger.warning("invalid selector", metadata: ["statefulset": "\(key)", "error": "\(error)"])
            return
        }
        // Our own writes not yet seen: the pod events will bring the set back.
        guard expectations.satisfied(key) else { return }
        let revisions = control.history.list(for: set, selector: selector)
        if revisions.contains(where: { OwnerReferences.controller(of: $0) == nil }) {
            _ = try await control.history.claim(revisions, owner: set, selector: selector)
        }
        let candidates = pods.list(namespace: namespace)
        let manager = ControllerRefManager(owner: set, client: client)
        let (claimed, errors) = await manager.claim(candidates) {
            selector.matches($0.metadata.labels ?? [:]) && StatefulSetPods.isMember($0, of: set)
        }
        if let first = errors.first { throw first }
        let status = try await control.sync(set, pods: claimed, selector: selector)
        let minReady = set.spec.minReadySeconds ?? 0
        if minReady > 0, let status, (status.availableReplicas ?? 0) != Int32(StatefulSetPods.replicas(set)) {
            queue.addAfter(key, .seconds(Int64(minReady)))
        }
    }
}
