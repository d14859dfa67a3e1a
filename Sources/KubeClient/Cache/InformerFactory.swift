import KubeModel
import Synchronization

/// One informer per resource (and namespace) per process, shared by every component that asks
/// (client-go's `SharedInformerFactory`). Ask for informers first, then ``run()`` them all.
public final class InformerFactory: Sendable {
    public let client: RESTClient
    public let resyncPeriod: Duration?
    /// The typed informers' objects come without `metadata.managedFields` (client-go's
    /// `TransformStripManagedFields`, which kube-scheduler's pod informer applies).
    public let dropsManagedFields: Bool
    private let informers = Mutex<[String: any RunnableInformer]>([:])

    public init(client: RESTClient, resyncPeriod: Duration? = nil, dropsManagedFields: Bool = false) {
        self.client = client
        self.resyncPeriod = resyncPeriod
        self.dropsManagedFields = dropsManagedFields
    }

    /// The shared informer of `type` (all namespaces unless `namespace` is given). Indexes are
    /// added when the informer is first made.
    public func informer<Object: KubeObject>(
        _ type: Object.Type, namespace: String? = nil, indexes: [String: Indexer<Object>.IndexFunction] = [:]
    ) -> Informer<Object> {
        let key = "\(Object.groupVersionKind)/\(namespace ?? "")"
        return informers.withLock { informers in
            if let existing = informers[key] as? Informer<Object> { return existing }
            let source = client.resource(type, namespace: namespace)
            let informer = Informer(
                source: dropsManagedFields ? source.droppingManagedFields() : source, indexes: indexes,
                resyncPeriod: resyncPeriod)
            informers[key] = informer
            return informer
        }
    }

    /// The shared metadata-only informer of `resource` (client-go's metadata informer factory):
    /// its objects as ``PartialObjectMetadata``, keyed by group-version-resource.
    public func metadataInformer(for resource: KubeResource, namespace: String? = nil) -> Informer<PartialObjectMetadata> {
        let key = "metadata/\(resource.groupVersionResource)/\(namespace ?? "")"
        return informers.withLock { informers in
            if let existing = informers[key] as? Informer<PartialObjectMetadata> { return existing }
            let informer = Informer(
                source: client.resource(PartialObjectMetadata.self, of: resource, namespace: namespace),
                resyncPeriod: resyncPeriod)
            informers[key] = informer
            return informer
        }
    }

    /// Runs every informer made so far until the task is cancelled.
    public func run() async throws {
        let all = informers.withLock { Array($0.values) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for informer in all { group.addTask { try await informer.run() } }
            try await group.waitForAll()
        }
    }

    /// Returns once every informer made so far has synced.
    public func waitForCacheSync() async {
        for informer in informers.withLock({ Array($0.values) }) { await informer.waitForSync() }
    }
}

/// What the factory needs of an informer whatever its type.
protocol RunnableInformer: Sendable {
    func run() async throws
    func waitForSync() async
}

extension Informer: RunnableInformer {}
