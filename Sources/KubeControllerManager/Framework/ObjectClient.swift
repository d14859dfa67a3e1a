import KubeClient
import KubeModel

/// How controllers write to (and, where a cache is not enough, read from) the API: the narrow
/// seam between a controller and the API server (client-go's clientset as controllers use it).
/// ``RESTObjectClient`` talks to a real server; ``RecordingObjectClient`` keeps objects in
/// memory and records every action, for unit tests.
///
/// Errors are the server's: ``StatusError`` with its reason (`NotFound`, `AlreadyExists`,
/// `Conflict`, `Invalid`, …).
public protocol ObjectClient: Sendable {
    /// POST; the namespace is the object's own (`metadata.namespace`).
    func create<Object: KubeObject>(_ object: Object) async throws -> Object
    /// PUT of the whole object; 409 Conflict when its resourceVersion is stale.
    func update<Object: KubeObject>(_ object: Object) async throws -> Object
    /// PUT of the `status` subresource.
    func updateStatus<Object: KubeObject>(_ object: Object) async throws -> Object
    /// PUT of another subresource that takes the whole object (`namespaces/NAME/finalize`).
    func update<Object: KubeObject>(_ object: Object, subresource: String) async throws -> Object
    /// PATCH of an object (or of `patch.subresource`).
    func patch<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, _ patch: ObjectPatch) async throws -> Object
    /// DELETE of one object.
    func delete<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, _ options: DeleteOptions) async throws
    /// GET from the server, bypassing caches (a live lookup, as the garbage collector does).
    func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws -> Object

    /// GET of any resource's object, as metadata only.
    func getMetadata(_ resource: KubeResource, namespace: String?, name: String) async throws -> PartialObjectMetadata
    /// LIST of any resource in a namespace (nil: every namespace), as metadata only.
    func listMetadata(_ resource: KubeResource, namespace: String?) async throws -> [PartialObjectMetadata]
    /// PATCH of any resource's object; answers its metadata.
    func patchMetadata(_ resource: KubeResource, namespace: String?, name: String, _ patch: ObjectPatch) async throws -> PartialObjectMetadata
    /// DELETE of any resource's object.
    func delete(_ resource: KubeResource, namespace: String?, name: String, _ options: DeleteOptions) async throws
    /// DELETE of a whole collection in a namespace (`deletecollection`).
    func deleteCollection(_ resource: KubeResource, namespace: String, _ options: DeleteOptions) async throws

    /// GET of a workload's `scale` subresource (an `autoscaling/v1` Scale).
    func getScale(_ resource: KubeResource, namespace: String, name: String) async throws -> AutoscalingV1.Scale
    /// PUT of a workload's `scale` subresource; answers the Scale written.
    func updateScale(_ resource: KubeResource, namespace: String, _ scale: AutoscalingV1.Scale) async throws -> AutoscalingV1.Scale
}

extension ObjectClient {
    /// Clients that cannot reach the `scale` subresource answer 405 MethodNotAllowed.
    public func getScale(_ resource: KubeResource, namespace: String, name: String) async throws -> AutoscalingV1.Scale {
        throw RecordingObjectClient.statusError(code: 405, reason: "MethodNotAllowed",
                                                message: "the server does not allow this method on the requested resource")
    }

    public func updateScale(_ resource: KubeResource, namespace: String, _ scale: AutoscalingV1.Scale) async throws -> AutoscalingV1.Scale {
        throw RecordingObjectClient.statusError(code: 405, reason: "MethodNotAllowed",
                                                message: "the server does not allow this method on the requested resource")
    }
}

/// The body and type of a PATCH.
public struct ObjectPatch: Sendable, Equatable {
    public enum PatchType: String, Sendable {
        case merge = "application/merge-patch+json"
        case strategicMerge = "application/strategic-merge-patch+json"
        case json = "application/json-patch+json"
    }

    public var type: PatchType
    public var body: [UInt8]
    public var subresource: String?

    public init(type: PatchType, body: [UInt8], subresource: String? = nil) {
        self.type = type
        self.body = body
        self.subresource = subresource
    }

    /// A patch from a JSON value (`.merge` unless told otherwise).
    public init(_ type: PatchType = .merge, json: JSONValue, subresource: String? = nil) {
        self.init(type: type, body: json.serialized(), subresource: subresource)
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a DELETE asks for (the parts of meta/v1 `DeleteOptions` controllers use).
public struct DeleteOptions: Sendable, Equatable {
    public enum Propagation: String, Sendable {
        case background = "Background"
        case foreground = "Foreground"
        case orphan = "Orphan"
    }

    public var propagationPolicy: Propagation?
    /// Only delete the object with this UID (a newer object of the same name is left alone).
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var gracePeriodSeconds: Int64?

    public init(propagationPolicy: Propagation? = nil, preconditionUID: String? = nil,
                preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int64? = nil) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
    }

    /// The wire form.
    public var metaV1: MetaV1.DeleteOptions {
        var options = MetaV1.DeleteOptions()
        options.apiVersion = "meta.k8s.io/v1"
        options.kind = "DeleteOptions"
        options.propagationPolicy = propagationPolicy?.rawValue
        options.gracePeriodSeconds = gracePeriodSeconds
        if preconditionUID != nil || preconditionResourceVersion != nil {
            var preconditions = MetaV1.Preconditions()
            preconditions.uid = preconditionUID
            preconditions.resourceVersion = preconditionResourceVersion
            options.preconditions = preconditions
        }
        return options
    }
}
