import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `daemonset-controller`: one pod per eligible node, created with a node affinity
/// pinning it to that node (the scheduler binds it), following nodes as they come, change and
/// go; failed pods are replaced with a per-node backoff; templates roll out with
/// `maxUnavailable`/`maxSurge` or on delete, recorded as ControllerRevisions.
public struct DaemonSetController: Controller {
    public static let controllerName = "daemonset-controller"
    /// upstream's `BurstReplicas`: at most this many creations or deletions per sync.
    public static let burstReplicas = 250

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let daemonSets: Lister<AppsV1.DaemonSet>
    let pods: Lister<CoreV1.Pod>
    let nodes: Lister<CoreV1.Node>
    let history: RevisionHistory
    let queue: ControllerQueue
    let expectations: ControllerExpectations
    let failedPodsBackoff: FailedPodBackoff
    /// The pod informer's handlers (tests feed them directly).
    let podEvents: OwnedPodEvents<AppsV1.DaemonSet>
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        logger = context.logger
        self.now = now
        let dsInformer = context.informers.informer(AppsV1.DaemonSet.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        let nodeInformer = context.informers.informer(CoreV1.Node.self)
        let revisionInformer = context.informers.informer(AppsV1.ControllerRevision.self)
        daemonSets = dsInformer.lister
        pods = podInformer.lister
        nodes = nodeInformer.lister
        history = RevisionHistory(client: context.client, revisions: revisionInformer.lister)
        let expectations = ControllerExpectations()
        self.expectations = expectations
        failedPodsBackoff = FailedPodBackoff()
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        dsInformer.addEventHandler(EventHandler(
            onAdd: { queue.add(ObjectKeys.key(of: $0)) },
            onUpdate: { _, ds in queue.add(ObjectKeys.key(of: ds)) },
            onDelete: { ds in
                expectations.delete(ObjectKeys.key(of: ds))
                queue.add(ObjectKeys.key(of: ds))
            }))
        let podEvents = OwnedPodEvents<AppsV1.DaemonSet>(
            owners: dsInformer.lister, queue: queue, expectations: expectations, selector: { $0.spec.selector },
            minReadySeconds: { $0.spec.minReadySeconds }, readyPadding: 1, terminatingIsDeleted: true)
        self.podEvents = podEvents
        podInformer.addEventHandler(EventHandler(onAdd: podEvents.added, onUpdate: podEvents.updated, onDelete: podEvents.deleted))
        let dsLister = dsInformer.lister
        nodeInformer.addEventHandler(EventHandler(
            onAdd: { node in
                for ds in dsLister.list() where DaemonSetPlacement.shouldRun(node, ds).shouldRun {
                    queue.add(ObjectKeys.key(of: ds))
                }
            },
            onUpdate: { old, node in
                guard !Self.shouldIgnoreNodeUpdate(old, node) else { return }
                for ds in dsLister.list() where DaemonSetPlacement.shouldRun(old, ds) != DaemonSetPlacement.shouldRun(node, ds) {
                    queue.add(ObjectKeys.key(of: ds))
                }
            },
            onDelete: { _ in
                for ds in dsLister.list() { queue.add(ObjectKeys.key(of: ds)) }
            }))
    }

    /// A node update that changes neither labels, taints nor anything else the placement reads
    /// (heartbeats, conditions, resource versions).
    static func shouldIgnoreNodeUpdate(_ old: CoreV1.Node, _ new: CoreV1.Node) -> Bool {
        old.metadata.labels == new.metadata.labels && old.spec.taints == new.spec.taints
            && old.spec.unschedulable == new.spec.unschedulable && old.metadata.name == new.metadata.name
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// upstream's `syncDaemonSet`.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let ds = daemonSets.get(namespace: namespace, name: name) else {
            expectations.delete(key)
            return
        }
        let nodeList = nodes.list()
        if (ds.spec.selector.matchLabels ?? [:]).isEmpty && (ds.spec.selector.matchExpressions ?? []).isEmpty {
            events.event(ds, type: .warning, reason: "SelectingAll",
                         message: "This daemon set is selecting all pods. A non-empty selector is required.")
            return
        }
        if ds.metadata.deletionTimestamp != nil { return }
        let selector: Labels.Selector
        do {
            selector = try Labels.Selector(ds.spec.selector)
        } catch {
            logger.warning("invalid selector", metadata: ["daemonset": "\(key)", "error": "\(error)"])
            return
        }
        let (current, old) = try await constructHistory(ds, selector: selector)
        let hash = current.metadata.labels?[DaemonPodTemplate.revisionLabel] ?? ""
        guard expectations.satisfied(key) else {
            try await updateStatus(ds, nodes: nodeList, hash: hash, selector: selector, updateObservedGeneration: false)
            return
        }
        var syncError: (any Error)?
        do {
            try await manage(ds, nodes: nodeList, hash: hash, selector: selector)
            if expectations.satisfied(key) {
                if (ds.spec.updateStrategy?.type ?? "RollingUpdate") == "RollingUpdate" {
                    try await rollingUpdate(ds, nodes: nodeList, hash: hash, selector: selector)
                }
                try await cleanupHistory(ds, old: old, selector: selector)
            }
        } catch {
            syncError = error
        }
        do {
            try await updateStatus(ds, nodes: nodeList, hash: hash, selector: selector, updateObservedGeneration: true)
        } catch {
            if syncError == nil { throw error }
        }
        if let syncError { throw syncError }
    }

    /// The pods the DaemonSet controls after adopting and releasing, by the node they are on or
    /// pinned to; terminal pods already being deleted are left out.
    func nodesToDaemonPods(_ ds: AppsV1.DaemonSet, selector: Labels.Selector) async throws -> [String: [CoreV1.Pod]] {
        let candidates = pods.list(namespace: ds.metadata.namespace ?? "")
        let manager = ControllerRefManager(owner: ds, client: client)
        let (claimed, errors) = await manager.claim(candidates) { selector.matches($0.metadata.labels ?? [:]) }
        if let first = errors.first { throw first }
        var byNode: [String: [CoreV1.Pod]] = [:]
        for pod in claimed {
            let terminal = pod.status.phase == "Succeeded" || pod.status.phase == "Failed"
            if terminal && pod.metadata.deletionTimestamp != nil { continue }
            guard let node = DaemonPodTemplate.targetNodeName(pod) else { continue }
            byNode[node, default: []].append(pod)
        }
        return byNode
    }
}
