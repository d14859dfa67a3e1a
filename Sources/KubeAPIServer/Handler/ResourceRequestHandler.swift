import KubeModel

/// Serves every resource request (`RequestInfo.isResourceRequest`) for a resource the catalog
/// knows. The HTTP layer authenticates, parses the path, resolves `resource` from
/// `KubeResourceCatalog` (unknown → 404 before reaching here), reads the bounded body, calls this,
/// and renders the `APIResult` (JSON/YAML/Table, watch streaming, `Status` for thrown errors).
public protocol ResourceRequestHandler: Sendable {
    func handle(_ request: APIRequest, resource: KubeResource) async throws(APIError) -> APIResult

    /// The resources this handler serves: discovery documents and routing follow it.
    var catalog: KubeResourceCatalog { get }
}

extension ResourceRequestHandler {
    /// The built-in resources, unless the handler says otherwise.
    public var catalog: KubeResourceCatalog { .builtIn }
}
