/// What a request addresses, parsed from its method, path and query exactly as upstream's
/// request-info factory does: `/api/v1/namespaces/default/pods/web-0/log` is verb `get`,
/// resource `pods`, subresource `log`, namespace `default`, name `web-0`.
public struct RequestInfo: Equatable, Sendable {
    /// False for non-resource paths (`/healthz`, `/version`, `/api`, `/apis/apps`, `/openapi/v3`).
    public var isResourceRequest: Bool
    /// The URL path.
    public var path: String
    /// Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection (resource
    /// requests); the lower-cased HTTP method for non-resource requests.
    public var verb: String
    /// `api` or `apis`.
    public var apiPrefix: String = ""
    public var apiGroup: String = ""
    public var apiVersion: String = ""
    public var namespace: String = ""
    public var resource: String = ""
    public var subresource: String = ""
    public var name: String = ""
    /// Path segments after the subresource (e.g. the proxied path of `pods/x/proxy/...`).
    public var extraParts: [String] = []

    /// Namespace subresources: `/namespaces/{name}/status` addresses the namespace itself.
    static let namespaceSubresources: Set<String> = ["status", "finalize"]

    /// Parses a request. `watch` is the value of the `watch` query parameter (`true`/`1`).
    public init(method: String, path: String, watch: Bool = false) {
        self.path = path
        let method = method.uppercased()
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        isResourceRequest = false
        verb = method.lowercased()

        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return }
        apiPrefix = prefix
        parts.removeFirst()
        if prefix == "apis" {
            guard parts.count >= 3 else { fillGroupVersion(parts); return }
            apiGroup = parts.removeFirst()
        } else if parts.count < 2 {
            fillGroupVersion(parts)
            return
        }
        apiVersion = parts.removeFirst()
        isResourceRequest = true

        var isWatchPath = false
        if parts.first == "watch" {
            isWatchPath = true
            parts.removeFirst()
        }
        switch method {
        case "POST": verb = "create"
        case "GET", "HEAD": verb = "get"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = "delete"
        default: verb = method.lowercased()
        }

        if parts.first == "namespaces" {
            if parts.count > 1 {
                namespace = parts[1]
                if parts.count > 2 && !Self.namespaceSubresources.contains(parts[2]) {
                    parts.removeFirst(2)
                }
            }
        }
        if parts.count >= 1 { resource = parts[0] }
        if parts.count >= 2 { name = parts[1] }
        if parts.count >= 3 { subresource = parts[2] }
        if parts.count > 3 { extraParts = Array(parts[3...]) }

        if isWatchPath {
            verb = "watch"
        } else if verb == "get" && name.isEmpty {
            verb = watch ? "watch" : "list"
        } else if verb == "delete" && name.isEmpty {
            verb = "deletecollection"
        }
        if parts.isEmpty { isResourceRequest = false }
    }

    private mutating func fillGroupVersion(_ parts: [String]) {
        if apiPrefix == "apis" {
            if parts.count >= 1 { apiGroup = parts[0] }
            if parts.count >= 2 { apiVersion = parts[1] }
        } else if parts.count >= 1 {
            apiVersion = parts[0]
        }
    }
}
