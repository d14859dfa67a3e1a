import Foundation
import KubeClient
import KubeModel

/// ``ObjectClient`` over a ``RESTClient``: every call is one request to the API server.
public struct RESTObjectClient: ObjectClient {
    public let client: RESTClient
    /// The `fieldManager` of creates and patches (upstream's controllers leave it to the user agent).
    public let fieldManager: String?

    public init(client: RESTClient, fieldManager: String? = nil) {
        self.client = client
        self.fieldManager = fieldManager
    }

    public func create<Object: KubeObject>(_ object: Object) async throws -> Object {
        try await client.resource(Object.self, namespace: object.metadata.namespace).create(object, fieldManager: fieldManager)
    }

    public func update<Object: KubeObject>(_ object: Object) async throws -> Object {
        try await client.resource(Object.self, namespace: object.metadata.namespace).update(object)
    }

    public func updateStatus<Object: KubeObject>(_ object: Object) async throws -> Object {
        try await client.resource(Object.self, namespace: object.metadata.namespace).updateStatus(object)
    }

    public func update<Object: KubeObject>(_ object: Object, subresource: String) async throws -> Object {
        try await client.resource(Object.self, namespace: object.metadata.namespace).update(object, subresource: subresource)
    }

    public func patch<Object: KubeObject>(
        _ type: Object.Type, namespace: String?, name: String, _ patch: ObjectPatch
    ) async throws -> Object {
        try await client.resource(type, namespace: namespace).patch(
            name, type: patch.type.rawValue, body: patch.body, subresource: patch.subresource, fieldManager: fieldManager)
    }

    public func delete<Object: KubeObject>(
        _ type: Object.Type, namespace: String?, name: String, _ options: DeleteOptions
    ) async throws {
        try await client.resource(type, namespace: namespace).delete(
            name, propagationPolicy: options.propagationPolicy?.rawValue, preconditionUID: options.preconditionUID,
            gracePeriodSeconds: options.gracePeriodSeconds)
    }

    public func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws -> Object {
        try await client.resource(type, namespace: namespace).get(name)
    }

    public func getMetadata(_ resource: KubeResource, namespace: String?, name: String) async throws -> PartialObjectMetadata {
        try await client.resource(PartialObjectMetadata.self, of: resource, namespace: namespace).get(name)
    }

    public func listMetadata(_ resource: KubeResource, namespace: String?) async throws -> [PartialObjectMetadata] {
        let source = client.resource(PartialObjectMetadata.self, of: resource, namespace: namespace)
        var items: [PartialObjectMetadata] = []
        var options = ListOptions(limit: 500)
        repeat {
            let page = try await source.list(options)
            items += page.items
            options.continueToken = page.metadata.continue
        } while !(options.continueToken ?? "").isEmpty
        return items
    }

    public func patchMetadata(
        _ resource: KubeResource, namespace: String?, name: String, _ patch: ObjectPatch
    ) async throws -> PartialObjectMetadata {
        try await client.resource(PartialObjectMetadata.self, of: resource, namespace: namespace).patch(
            name, type: patch.type.rawValue, body: patch.body, subresource: patch.subresource, fieldManager: fieldManager)
    }

    public func delete(_ resource: KubeResource, namespace: String?, name: String, _ options: DeleteOptions) async throws {
        try await client.resource(PartialObjectMetadata.self, of: resource, namespace: namespace).delete(
            name, propagationPolicy: options.propagationPolicy?.rawValue, preconditionUID: options.preconditionUID,
            gracePeriodSeconds: options.gracePeriodSeconds)
    }

    public func deleteCollection(_ resource: KubeResource, namespace: String, _ options: DeleteOptions) async throws {
        try await client.resource(PartialObjectMetadata.self, of: resource, namespace: namespace).deleteCollection(
            propagationPolicy: options.propagationPolicy?.rawValue)
    }

    public func getScale(_ resource: KubeResource, namespace: String, name: String) async throws -> AutoscalingV1.Scale {
        try await client.send(RESTRequest(method: "GET", path: Self.scalePath(resource, namespace: namespace, name: name)),
                              as: AutoscalingV1.Scale.self)
    }

    public func updateScale(_ resource: KubeResource, namespace: String, _ scale: AutoscalingV1.Scale) async throws -> AutoscalingV1.Scale {
        var scale = scale
        scale.setTypeMeta()
        let path = Self.scalePath(resource, namespace: namespace, name: scale.metadata.name ?? "")
        return try await client.send(RESTRequest(method: "PUT", path: path, body: Array(try JSONEncoder().encode(scale))),
                                     as: AutoscalingV1.Scale.self)
    }

    /// `/apis/apps/v1/namespaces/NS/deployments/NAME/scale` (names are DNS labels: no escaping needed).
    static func scalePath(_ resource: KubeResource, namespace: String, name: String) -> String {
        resource.collectionPath(namespace: namespace) + "/" + name + "/scale"
    }
}
