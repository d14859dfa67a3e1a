import Foundation
import KubeModel

/// Typed access to one resource (client-go's typed clientsets): `client.resource(CoreV1.Pod.self,
/// namespace: "default").get("web")`. For cluster-scoped kinds the namespace is ignored.
public struct ResourceClient<Object: KubeObject>: Sendable {
    public let client: RESTClient
    public let resource: KubeResource
    /// nil: all namespaces (list and watch only).
    public let namespace: String?
    /// Lists and watches leave `metadata.managedFields` out (see ``droppingManagedFields()``).
    public private(set) var dropsManagedFields = false

    init(client: RESTClient, resource: KubeResource, namespace: String?) {
        self.client = client
        self.resource = resource
        self.namespace = resource.namespaced ? namespace : nil
    }

    var collectionPath: String { resource.collectionPath(namespace: namespace) }

    func objectPath(_ name: String, subresource: String? = nil) -> String {
        collectionPath + "/" + RESTRequest.escapePathSegment(name) + (subresource.map { "/\($0)" } ?? "")
    }

    /// API types write their own JSON (``JSONWritable``) or tree (``JSONTreeWritable``);
    /// anything else goes through `JSONEncoder`.
    static func encode(_ object: some Encodable) throws -> [UInt8] {
        if let writable = object as? any JSONWritable {
            return try writable.jsonBytes()
        }
        if let writable = object as? any JSONTreeWritable {
            return try writable.jsonValue().serialized(sortedKeys: false)
        }
        return Array(try JSONEncoder().encode(object))
    }

    public func get(_ name: String) async throws -> Object {
        try await client.send(RESTRequest(method: "GET", path: objectPath(name)), as: Object.self,
                              skippingManagedFields: dropsManagedFields)
    }

    public func list(_ options: ListOptions = ListOptions()) async throws -> ObjectList<Object> {
        var list = try await client.send(
            RESTRequest(method: "GET", path: collectionPath, query: options.query), as: ObjectList<Object>.self)
        if dropsManagedFields {
            for index in list.items.indices { list.items[index].metadata.managedFields = nil }
        }
        return list
    }

    /// This client with objects read back without `metadata.managedFields` — watch events,
    /// gets, creates and updates skip them unread; lists drop them — as kube-scheduler's
    /// informers drop them: callers that never read them save the memory and the decoding.
    /// (An update sent without managedFields keeps the stored ones.)
    public func droppingManagedFields() -> ResourceClient {
        var copy = self
        copy.dropsManagedFields = true
        return copy
    }

    public func create(_ object: Object, fieldManager: String? = nil) async throws -> Object {
        var object = object
        object.setTypeMeta()
        let query = fieldManager.map { [("fieldManager", $0)] } ?? []
        return try await client.send(
            RESTRequest(method: "POST", path: collectionPath, query: query, body: Self.encode(object)), as: Object.self,
            skippingManagedFields: dropsManagedFields)
    }

    /// ``create(_:fieldManager:)`` for callers that do not use the stored object (an event
    /// recorder): the response is checked but its body not decoded.
    public func createWithoutResult(_ object: Object) async throws {
        var object = object
        object.setTypeMeta()
        _ = try await client.send(RESTRequest(method: "POST", path: collectionPath, body: Self.encode(object)))
    }

    /// PUT of the whole object; 409 Conflict when its resourceVersion is stale.
    public func update(_ object: Object, subresource: String? = nil) async throws -> Object {
        var object = object
        object.setTypeMeta()
        guard let name = object.metadata.name else { throw StatusError(code: 422, body: Array("metadata.name is required".utf8)) }
        return try await client.send(
            RESTRequest(method: "PUT", path: objectPath(name, subresource: subresource), body: Self.encode(object)),
            as: Object.self, skippingManagedFields: dropsManagedFields)
    }

    /// ``update(_:subresource:)`` for callers that do not use the stored object: the response
    /// is checked but its body not decoded.
    public func updateWithoutResult(_ object: Object, subresource: String? = nil) async throws {
        var object = object
        object.setTypeMeta()
        guard let name = object.metadata.name else { throw StatusError(code: 422, body: Array("metadata.name is required".utf8)) }
        _ = try await client.send(
            RESTRequest(method: "PUT", path: objectPath(name, subresource: subresource), body: Self.encode(object)))
    }

    public func updateStatus(_ object: Object) async throws -> Object {
        try await update(object, subresource: "status")
    }

    /// PATCH with `type` (`application/merge-patch+json`, `application/strategic-merge-patch+json`,
    /// `application/json-patch+json`, `application/apply-patch+yaml`).
    public func patch(_ name: String, type: String = "application/merge-patch+json", body: [UInt8],
                      subresource: String? = nil, fieldManager: String? = nil, force: Bool? = nil) async throws -> Object {
        var query: [(String, String)] = []
        if let fieldManager { query.append(("fieldManager", fieldManager)) }
        if let force { query.append(("force", String(force))) }
        return try await client.send(
            RESTRequest(method: "PATCH", path: objectPath(name, subresource: subresource), query: query,
                        body: body, contentType: type),
            as: Object.self)
    }

    /// DELETE; `propagationPolicy` is `Background`, `Foreground` or `Orphan`.
    public func delete(_ name: String, propagationPolicy: String? = nil, preconditionUID: String? = nil,
                       gracePeriodSeconds: Int64? = nil) async throws {
        var options = MetaV1.DeleteOptions()
        options.apiVersion = "meta.k8s.io/v1"
        options.kind = "DeleteOptions"
        options.propagationPolicy = propagationPolicy
        options.gracePeriodSeconds = gracePeriodSeconds
        if let preconditionUID {
            var preconditions = MetaV1.Preconditions()
            preconditions.uid = preconditionUID
            options.preconditions = preconditions
        }
        _ = try await client.send(RESTRequest(method: "DELETE", path: objectPath(name), body: Self.encode(options)))
    }

    /// DELETE of the collection (`deletecollection`): every object `options` selects.
    public func deleteCollection(_ options: ListOptions = ListOptions(), propagationPolicy: String? = nil) async throws {
        var body = MetaV1.DeleteOptions()
        body.apiVersion = "meta.k8s.io/v1"
        body.kind = "DeleteOptions"
        body.propagationPolicy = propagationPolicy
        _ = try await client.send(
            RESTRequest(method: "DELETE", path: collectionPath, query: options.query, body: Self.encode(body)))
    }

    /// POST to a subresource (`pods/binding`, `pods/eviction`, `serviceaccounts/token`).
    public func create<Body: Encodable, Response: Decodable>(
        _ body: Body, subresource: String, of name: String, as response: Response.Type
    ) async throws -> Response {
        try await client.send(
            RESTRequest(method: "POST", path: objectPath(name, subresource: subresource), body: Self.encode(body)),
            as: Response.self)
    }

    /// Watches with `options` (set `resourceVersion` to resume) and runs `body` with the
    /// events; returning from `body` ends the watch. A watch the server refuses at once (e.g.
    /// 410 for a compacted version) throws ``StatusError``.
    public func watch<Result>(
        _ options: ListOptions = ListOptions(), _ body: (WatchEvents<Object>) async throws -> Result
    ) async throws -> Result {
        var query = options.query
        query.append(("watch", "true"))
        let request = RESTRequest(method: "GET", path: collectionPath, query: query)
        try await client.limiter.wait()
        return try await client.exchange(request) { head, chunks in
            guard head.status == 200 else {
                var bytes: [UInt8] = []
                for try await chunk in chunks { bytes += chunk }
                throw RESTClient.statusError(RESTResponse(status: head.status, headers: head.headers, body: bytes))
            }
            return try await body(WatchEvents(chunks: chunks, skipsManagedFields: dropsManagedFields))
        }
    }
}

extension RESTClient {
    /// Typed access to the resource of `type`.
    public func resource<Object: KubeObject>(_ type: Object.Type, namespace: String? = nil) -> ResourceClient<Object> {
        guard let resource = KubeResourceCatalog.builtIn.resource(for: type) else {
            preconditionFailure("\(Object.groupVersionKind) is not a built-in resource")
        }
        return ResourceClient(client: self, resource: resource, namespace: namespace)
    }
}

extension RESTRequest {
    /// A name as one path segment: `/` and other reserved bytes percent-encoded.
    static func escapePathSegment(_ name: String) -> String { escape(name) }
}
