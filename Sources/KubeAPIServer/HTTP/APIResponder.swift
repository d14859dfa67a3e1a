import Foundation
import Hummingbird
import KubeModel
import Logging
import NIOCore

/// Answers every HTTP request of the API server: authentication, the non-resource endpoints
/// (`/version`, health, discovery), and resource requests handed to a `ResourceRequestHandler`.
public struct APIResponder: HTTPResponder {
    public typealias Context = APIRequestContext

    /// Upstream's request body limit (3 MiB).
    public static let maxBodySize = 3 * 1024 * 1024

    public let authenticator: RequestAuthenticator
    public let handler: any ResourceRequestHandler
    public let discovery: DiscoveryDocuments
    public let version: ServerVersion
    public let renderer: ResponseRenderer
    /// `/openapi/v3` and its per-group-version documents (built lazily).
    public let openAPI: OpenAPIDocuments
    /// Whether `/readyz` reports ready (the store is open, bootstrap done).
    public let isReady: @Sendable () -> Bool

    public init(authenticator: RequestAuthenticator, handler: any ResourceRequestHandler,
                discovery: DiscoveryDocuments? = nil, version: ServerVersion,
                renderer: ResponseRenderer = ResponseRenderer(), openAPI: OpenAPIDocuments? = nil,
                isReady: @escaping @Sendable () -> Bool = { true }) {
        self.authenticator = authenticator
        self.handler = handler
        // Without explicit documents, discovery describes what the handler serves.
        let discovery = discovery ?? DiscoveryDocuments(catalog: handler.catalog)
        self.discovery = discovery
        self.version = version
        self.renderer = renderer
        self.openAPI = openAPI ?? OpenAPIDocuments(catalog: discovery.catalog)
        self.isReady = isReady
    }

    /// Paths anyone may read, as upstream's `system:public-info-viewer` role allows anonymously.
    static let publicPaths: Set<String> = ["/version", "/healthz", "/livez", "/readyz"]

    public func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        let path = request.uri.path.isEmpty ? "/" : request.uri.path
        let publicPath = Self.publicPaths.contains(path) && (request.method == .get || request.method == .head)
        let user = await authenticator.authenticate(
            channel: context.channel, peer: context.peer, authorization: request.headers[.authorization])
        guard let user else {
            if publicPath { return nonResource(path: path, request: request) }
            return ResponseRenderer.error(.unauthorized)
        }
        let query = Self.queryParameters(request.uri.query)
        let watch = ["true", "1"].contains(query["watch"]?.first ?? "")
        let info = RequestInfo(method: request.method.rawValue, path: path, watch: watch)
        guard info.isResourceRequest else { return nonResource(path: path, request: request) }
        var request = request
        return await resource(info: info, query: query, request: &request, user: user,
                              connectionClosed: watch ? context.streamClosed ?? Self.closedSignal(context.channel) : nil)
    }

    /// A signal that fires when `channel` (an HTTP/1.1 connection) closes.
    static func closedSignal(_ channel: any Channel) -> ConnectionClosedSignal {
        let signal = ConnectionClosedSignal()
        channel.closeFuture.whenComplete { _ in signal.fire() }
        return signal
    }

    // MARK: Non-resource endpoints

    func nonResource(path: String, request: Request) -> Response {
        guard request.method == .get || request.method == .head else {
            return ResponseRenderer.error(publicOrDiscovery(path) ? .methodNotAllowed : .pathNotFound(path))
        }
        if OpenAPIDocuments.handles(path) {
            return openAPI.response(path: path, query: request.uri.query, headers: request.headers)
        }
        switch path {
        case "/version":
            let body = (try? ResponseRenderer.encoder().encode(version)) ?? Data()
            return ResponseRenderer.response(.ok, contentType: "application/json", body: body)
        case "/healthz", "/livez":
            return ResponseRenderer.response(.ok, contentType: "text/plain; charset=utf-8", body: Data("ok".utf8))
        case "/readyz":
            if isReady() {
                return ResponseRenderer.response(.ok, contentType: "text/plain; charset=utf-8", body: Data("ok".utf8))
            }
            return ResponseRenderer.response(.internalServerError, contentType: "text/plain; charset=utf-8",
                                             body: Data("readyz check failed".utf8))
        default:
            return discoveryResponse(path: path, accept: request.headers[.accept])
        }
    }

    func publicOrDiscovery(_ path: String) -> Bool {
        Self.publicPaths.contains(path) || path == "/api" || path == "/apis" || path.hasPrefix("/api/") || path.hasPrefix("/apis/")
    }

    func discoveryResponse(path: String, accept: String?) -> Response {
        let parts = path.split(separator: "/").map(String.init)
        let aggregatedAllowed = parts.count == 1
        guard let format = ResponseFormat.negotiate(accept: accept, allowDiscovery: aggregatedAllowed) else {
            return ResponseRenderer.error(.notAcceptable)
        }
        let body: [UInt8]?
        switch (parts.first, parts.count) {
        case ("api", 1): body = format == .aggregatedDiscovery ? discovery.aggregatedCore : discovery.apiVersions
        case ("apis", 1): body = format == .aggregatedDiscovery ? discovery.aggregatedGroups : discovery.apiGroupList
        case ("api", 2): body = discovery.resourceList(group: "", version: parts[1])
        case ("apis", 2): body = discovery.apiGroup(named: parts[1])
        case ("apis", 3): body = discovery.resourceList(group: parts[1], version: parts[2])
        default: body = nil
        }
        guard let body else { return ResponseRenderer.error(.pathNotFound(path)) }
        var headers = HTTPFields()
        headers[.cacheControl] = "no-cache, private"
        let contentType = format == .aggregatedDiscovery ? AggregatedDiscovery.contentType : "application/json"
        if format == .yaml, let yaml = try? ResponseRenderer.yaml(fromJSON: Data(body)) {
            return ResponseRenderer.response(.ok, contentType: "application/yaml", body: yaml, extraHeaders: headers)
        }
        return ResponseRenderer.response(.ok, contentType: contentType, body: Data(body), extraHeaders: headers)
    }

    // MARK: Resource requests

    func resource(info: RequestInfo, query: [String: [String]], request: inout Request, user: UserInfo,
                  connectionClosed: ConnectionClosedSignal? = nil) async -> Response {
        let catalog = discovery.catalog
        guard catalog.serves(group: info.apiGroup, version: info.apiVersion),
              let resource = catalog.resource(group: info.apiGroup, version: info.apiVersion, resource: info.resource)
        else { return ResponseRenderer.error(.pathNotFound(info.path)) }
        if !resource.namespaced && !info.namespace.isEmpty && info.resource != "namespaces" {
            return ResponseRenderer.error(.pathNotFound(info.path))
        }
        if info.subresource.isEmpty {
            // Collections take POST, objects PUT and PATCH: the other way round is a 405.
            let named = !info.name.isEmpty
            if (named && info.verb == "create") || (!named && (info.verb == "update" || info.verb == "patch")) {
                return ResponseRenderer.error(.methodNotAllowed)
            }
            guard resource.supports(info.verb) else { return ResponseRenderer.error(.methodNotAllowed) }
        } else {
            guard let sub = resource.subresource(info.subresource) else {
                return ResponseRenderer.error(.pathNotFound(info.path))
            }
            guard sub.supports(info.verb) else { return ResponseRenderer.error(.methodNotAllowed) }
        }
        let readsObjects = ["get", "list", "watch"].contains(info.verb) || info.subresource.isEmpty
        guard let format = ResponseFormat.negotiate(accept: request.headers[.accept], allowTable: readsObjects) else {
            return ResponseRenderer.error(.notAcceptable)
        }
        do {
            let (contentType, body) = try await RequestBodyReader.read(
                &request, verb: info.verb, limit: Self.maxBodySize)
            var apiRequest = APIRequest(info: info, query: query, contentType: contentType, body: body, user: user,
                                        userAgent: request.headers[.userAgent] ?? "")
            apiRequest.connectionClosed = connectionClosed
            let result = try await handler.handle(apiRequest, resource: resource)
            return try renderer.render(result, resource: resource, format: format)
        } catch let error as APIError {
            return ResponseRenderer.error(error)
        } catch {
            return ResponseRenderer.error(.internalError("\(error)"))
        }
    }

    /// Query parameters, percent-decoded, repeated names kept in order.
    static func queryParameters(_ query: String?) -> [String: [String]] {
        guard let query, !query.isEmpty else { return [:] }
        var result: [String: [String]] = [:]
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let name = decode(kv[0])
            guard !name.isEmpty else { continue }
            result[name, default: []].append(kv.count > 1 ? decode(kv[1]) : "")
        }
        return result
    }
}
