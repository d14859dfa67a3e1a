import KubeClient
import KubeModel
import Logging

/// upstream's `namespace-controller`: a namespace being deleted has all its content deleted,
/// its deletion status kept in conditions, and its `kubernetes` finalizer removed once it is
/// empty, after which the API server removes it.
public struct NamespaceController: Controller {
    public static let controllerName = "namespace-controller"
    /// Namespace events are handled this late, so last-moment creations in the namespace are
    /// seen (upstream's `namespaceDeletionGracePeriod`).
    public static let deletionGracePeriod: Duration = .seconds(5)

    public var name: String { Self.controllerName }
    let namespaces: Lister<CoreV1.Namespace>
    let deleter: NamespacedResourcesDeleter
    let queue: ControllerQueue

    public init(context: ControllerContext) {
        self.init(context: context, resources: NamespacedResourcesDeleter.deletableResources())
    }

    init(context: ControllerContext, resources: [KubeResource]) {
        let namespaceInformer = context.informers.informer(CoreV1.Namespace.self)
        namespaces = namespaceInformer.lister
        deleter = NamespacedResourcesDeleter(client: context.client, pods: context.informers.informer(CoreV1.Pod.self).lister,
                                             logger: context.logger, resources: resources)
        let queue = ControllerQueue(name: "namespace", logger: context.logger)
        self.queue = queue
        let enqueue: @Sendable (CoreV1.Namespace) -> Void = { namespace in
            guard namespace.metadata.deletionTimestamp != nil else { return }
            queue.addAfter(namespace.metadata.name ?? "", Self.deletionGracePeriod)
        }
        namespaceInformer.addEventHandler(EventHandler(onAdd: enqueue, onUpdate: { _, namespace in enqueue(namespace) }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// Empties and finalizes namespace `key` if it is being deleted; while content remains,
    /// comes back after half the estimate (plus a second).
    public func reconcile(_ key: String) async throws {
        guard namespaces.get(name: key) != nil else { return }
        do {
            try await deleter.delete(key)
        } catch let remaining as NamespacedResourcesDeleter.ResourcesRemaining {
            throw RequeueAfter(.seconds(remaining.estimate / 2 + 1))
        }
    }
}
