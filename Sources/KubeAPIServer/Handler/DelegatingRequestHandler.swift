import KubeModel

/// The registry plus API groups that other components of the process serve (`metrics.k8s.io`
/// from the metrics server), side by side as the aggregation layer puts APIService groups
/// beside the built-in ones: discovery lists the delegated groups after the built-in ones, and
/// a request for a delegated group goes to its handler, never to the store.
public struct DelegatingRequestHandler: ResourceRequestHandler {
    /// One delegated API group: its discovery entry, its resources and who serves them.
    public struct Delegate: Sendable {
        public var group: KubeAPIGroup
        public var resources: [KubeResource]
        public var handler: any ResourceRequestHandler

        public init(group: KubeAPIGroup, resources: [KubeResource], handler: any ResourceRequestHandler) {
            self.group = group
            self.resources = resources
            self.handler = handler
        }
    }

    public let base: any ResourceRequestHandler
    public let delegates: [Delegate]
    public let catalog: KubeResourceCatalog

    public init(base: any ResourceRequestHandler, delegates: [Delegate]) {
        self.base = base
        self.delegates = delegates
        let baseCatalog = base.catalog
        catalog = KubeResourceCatalog(
            resources: baseCatalog.resources + delegates.flatMap(\.resources),
            groups: baseCatalog.groups + delegates.map(\.group))
    }

    public func handle(_ request: APIRequest, resource: KubeResource) async throws(APIError) -> APIResult {
        if let delegate = delegates.first(where: { $0.group.name == resource.group }) {
            return try await delegate.handler.handle(request, resource: resource)
        }
        return try await base.handle(request, resource: resource)
    }
}
