import Foundation
import KubeModel
import KubeStore

/// The generic REST storage of every built-in resource (upstream's `genericregistry.Store`):
/// get, list, watch, create, update, JSON merge patch, delete and deletecollection over a
/// ``KeyValueStore``, plus the `status`, `scale`, `pods/binding` and `namespaces/finalize`
/// subresources.
///
/// Keys are `/registry/<group or "core">/<resource>/<namespace>/<name>` (no namespace segment for
/// cluster-scoped resources). Values are the object's JSON without `metadata.resourceVersion`,
/// which is the key's `modRevision` and is set on every read.
public struct ResourceRegistry: ResourceRequestHandler {
    public let store: any KeyValueStore
    public let catalog: KubeResourceCatalog
    /// How often a watch with `allowWatchBookmarks=true` sends a BOOKMARK while idle.
    public var bookmarkInterval: Duration = .seconds(10)
    /// Per-kind defaults and validation.
    public var strategies: ResourceStrategies = .builtIn
    /// Where service cluster IPs and node ports come from.
    public var serviceNetwork: ServiceNetwork = .default
    /// Leases that expire Events an hour after their last write.
    let eventLeases = LeaseCache()
    /// Signs `serviceaccounts/token` tokens (none: the subresource answers 400).
    public var tokenSigner: ServiceAccountTokenSigner?
    /// Serves lists and watches from memory when set (the server runs it as a service).
    public var watchCache: WatchCache?
    /// How long a consistent read waits for the watch cache to catch up before reading the store.
    public var cacheWaitLimit: Duration = .seconds(3)

    public init(store: any KeyValueStore, catalog: KubeResourceCatalog = .builtIn) {
        self.store = store
        self.catalog = catalog
    }

    /// The namespaces every cluster has.
    public static let defaultNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    /// Creates the default namespaces that are missing (Active, `kubernetes` finalizer, the
    /// `kubernetes.io/metadata.name` label).
    public func ensureDefaultNamespaces() async throws {
        guard let namespaces = catalog.resource(group: "", version: "v1", resource: "namespaces") else { return }
        for name in Self.defaultNamespaces {
            if try await store.get(Self.key(namespaces, namespace: "", name: name)) != nil { continue }
            let body = try JSONEncoder().encode(CoreV1.Namespace(
                apiVersion: "v1", kind: "Namespace", metadata: MetaV1.ObjectMeta(name: name)))
            let info = RequestInfo(method: "POST", path: "/api/v1/namespaces")
            let request = APIRequest(info: info, contentType: "application/json", body: body,
                                     user: UserInfo(name: "system:apiserver"))
            do {
                _ = try await create(request, resource: namespaces)
            } catch .alreadyExists {
                continue
            }
        }
    }

    public func handle(_ request: APIRequest, resource: KubeResource) async throws(APIError) -> APIResult {
        try await Self.mappingErrors { try await dispatch(request, resource: resource) }
    }

    /// Runs `body`, turning every error into the API error vocabulary: store errors by their
    /// meaning (see ``apiError(_:)``), anything unexpected into a 500.
    static func mappingErrors<T>(_ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch let error as StoreError {
            throw apiError(error)
        } catch {
            throw .internalError(String(describing: error))
        }
    }

    private func dispatch(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let verb = request.info.verb
        let sub = request.info.subresource
        if sub.isEmpty {
            guard resource.supports(verb) else { throw APIError.methodNotAllowed }
            switch verb {
            case "get": return try await get(request, resource: resource)
            case "list": return try await list(request, resource: resource)
            case "watch": return try await watch(request, resource: resource)
            case "create":
                guard request.info.name.isEmpty else { throw APIError.methodNotAllowed }
                if resource.group.isEmpty && resource.resource == "bindings" {
                    return try await bind(request, resource: resource)
                }
                if Self.isReview(resource) { return try review(request, resource: resource) }
                return try await create(request, resource: resource)
            case "update": return try await update(request, resource: resource, mode: .main)
            case "patch": return try await patch(request, resource: resource, mode: .main)
            case "delete": return try await delete(request, resource: resource)
            case "deletecollection": return try await deleteCollection(request, resource: resource)
            default: throw APIError.methodNotAllowed
            }
        }
        guard let subresource = resource.subresource(sub) else {
            throw APIError.pathNotFound(request.info.path)
        }
        guard subresource.supports(verb) else { throw APIError.methodNotAllowed }
        switch (sub, verb) {
        case ("status", "get"): return try await get(request, resource: resource)
        case ("status", "update"): return try await update(request, resource: resource, mode: .status)
        case ("status", "patch"): return try await patch(request, resource: resource, mode: .status)
        case ("finalize", "update") where resource.resource == "namespaces":
            return try await update(request, resource: resource, mode: .finalize)
        case ("binding", "create") where resource.resource == "pods" && resource.group.isEmpty:
            return try await bind(request, resource: resource)
        case ("token", "create") where resource.resource == "serviceaccounts" && resource.group.isEmpty:
            return try await requestToken(request, resource: resource)
        case ("eviction", "create") where resource.resource == "pods" && resource.group.isEmpty:
            return try await evict(request, resource: resource)
        case ("scale", "get"): return try await getScale(request, resource: resource)
        case ("scale", "update"): return try await updateScale(request, resource: resource)
        case ("scale", "patch"): return try await patchScale(request, resource: resource)
        default:
            throw APIError.badRequest("the \(sub) subresource of \(resource.groupResource) is not supported yet")
        }
    }

    /// Maps a store failure onto the API error upstream returns for it.
    static func apiError(_ error: StoreError) -> APIError {
        switch error {
        case .compacted(let revision):
            return .expired("The resourceVersion for the provided list is too old (compacted at \(revision)).")
        case .futureRevision(let current):
            return .timeout("Too large resource version, current: \(current)")
        case .leaseNotFound(let id): return .internalError("lease \(id) not found")
        case .watcherOverflow: return .internalError("watcher fell behind")
        case .closed: return .internalError("storage is closed")
        case .backend(let message): return .internalError(message)
        }
    }
}
