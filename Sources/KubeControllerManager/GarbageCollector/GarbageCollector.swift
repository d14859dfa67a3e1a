import KubeClient
import KubeModel
import Logging

/// upstream's `garbage-collector-controller`: deletes objects whose owners are all gone, the
/// dependents of owners deleted in foreground (`foregroundDeletion` finalizer), and takes the
/// owner references out of the dependents of owners deleted with the `orphan` finalizer.
///
/// Metadata-only informers over every resource that supports list, watch and delete (events
/// excepted) feed a ``GraphBuilder``; its changes queue object UIDs for the attempt-to-delete
/// and attempt-to-orphan workers, which check the server live before they act. Custom
/// resources are not watched yet (only the built-in catalog), so they neither get collected
/// nor count as owners the collector can verify.
public final class GarbageCollector: Controller {
    public static let controllerName = "garbage-collector-controller"
    /// upstream's `metav1.FinalizerOrphanDependents`.
    public static let orphanFinalizer = "orphan"
    /// upstream's `metav1.FinalizerDeleteDependents`.
    public static let foregroundFinalizer = "foregroundDeletion"
    /// How often a conflicting finalizer patch is retried (client-go's `retry.DefaultBackoff` steps).
    static let conflictRetries = 5

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let logger: Logger
    let resources: GarbageCollectedResources
    let graph: GraphBuilder
    let deleteQueue: ControllerQueue
    let orphanQueue: ControllerQueue

    public convenience init(context: ControllerContext) {
        self.init(client: context.client, logger: context.logger, informers: context.informers)
    }

    /// With `informers`, watches every collected resource; without (unit tests), the graph is
    /// fed through ``graph`` and queued UIDs go to `attemptToDelete` / `attemptToOrphan` when given.
    init(client: any ObjectClient, logger: Logger, informers: InformerFactory?,
         resources: GarbageCollectedResources = GarbageCollectedResources(),
         attemptToDelete: (@Sendable (String) -> Void)? = nil,
         attemptToOrphan: (@Sendable (String) -> Void)? = nil) {
        self.client = client
        self.logger = logger
        self.resources = resources
        let deleteQueue = ControllerQueue(name: "garbage_collector_attempt_to_delete", logger: logger)
        let orphanQueue = ControllerQueue(name: "garbage_collector_attempt_to_orphan", logger: logger)
        self.deleteQueue = deleteQueue
        self.orphanQueue = orphanQueue
        let graph = GraphBuilder(resources: resources,
                                 attemptToDelete: attemptToDelete ?? { deleteQueue.add($0) },
                                 attemptToOrphan: attemptToOrphan ?? { orphanQueue.add($0) })
        self.graph = graph
        guard let informers else { return }
        for resource in resources.watched {
            informers.metadataInformer(for: resource).addEventHandler(EventHandler(
                onAdd: { graph.enqueue(.upsert($0, resource)) },
                onUpdate: { _, object in graph.enqueue(.upsert(object, resource)) },
                onDelete: { graph.enqueue(.delete($0, resource)) }))
        }
    }

    public func run(workers: Int) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.graph.run() }
            group.addTask { await self.deleteQueue.run(workers: workers) { try await self.attemptToDelete($0) } }
            group.addTask { await self.orphanQueue.run(workers: workers) { try await self.attemptToOrphan($0) } }
        }
    }

    /// Hands `uid` to the attempt-to-delete workers (as the graph builder does).
    func enqueueAttemptToDelete(_ uid: String) {
        graph.enqueueAttemptToDelete(uid)
    }

    // MARK: Server access

    /// The namespace to address `identity` in ("" → nil; cluster-scoped resources ignore it).
    static func namespace(of identity: ObjectIdentity, _ resource: KubeResource) -> String? {
        resource.namespaced && !identity.namespace.isEmpty ? identity.namespace : nil
    }

    /// A live GET of `identity`'s metadata (nil when not found).
    func liveObject(_ identity: ObjectIdentity, _ resource: KubeResource) async throws -> PartialObjectMetadata? {
        do {
            return try await client.getMetadata(resource, namespace: Self.namespace(of: identity, resource), name: identity.name)
        } catch let error as StatusError where error.isNotFound {
            return nil
        }
    }
}
