import KubeClient
import KubeModel

/// Who an object is, as the garbage collector's graph knows it (upstream's `objectReference`):
/// an owner reference's coordinates plus the namespace.
struct ObjectIdentity: Hashable, Sendable, CustomStringConvertible {
    var apiVersion: String
    var kind: String
    /// "" for cluster-scoped objects.
    var namespace: String
    var name: String
    var uid: String

    init(apiVersion: String, kind: String, namespace: String, name: String, uid: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    /// The identity of an object of `resource`.
    init(_ object: PartialObjectMetadata, of resource: KubeResource) {
        self.init(apiVersion: resource.apiVersion, kind: resource.kind,
                  namespace: resource.namespaced ? object.metadata.namespace ?? "" : "",
                  name: object.metadata.name ?? "", uid: object.metadata.uid ?? "")
    }

    /// The owner `reference` names, seen from a dependent in `namespace`: a namespaced owner
    /// lives in its dependent's namespace.
    init(owner reference: MetaV1.OwnerReference, dependentNamespace namespace: String, namespaced: Bool) {
        self.init(apiVersion: reference.apiVersion, kind: reference.kind,
                  namespace: namespaced ? namespace : "", name: reference.name, uid: reference.uid)
    }

    var group: String { OwnerReferences.apiGroup(of: apiVersion) }

    /// upstream's `objectReference.String()`.
    var description: String {
        "[\(apiVersion)/\(kind), namespace: \(namespace), name: \(name), uid: \(uid)]"
    }
}
