import KubeComponentHelpers
import KubeModel

/// The DefaultStorageClass admission plugin: a PersistentVolumeClaim created without any
/// class gets the cluster's default StorageClass, so the PV controller, the scheduler and
/// class-scoped quotas see the class from the start. Without a default class the claim is left
/// as it is; an explicit `storageClassName: ""` is never changed.
extension ResourceRegistry {
    func admitDefaultStorageClass(_ object: inout any KubeObject, resource: KubeResource) async throws {
        guard resource.group.isEmpty, resource.resource == "persistentvolumeclaims",
              var claim = object as? CoreV1.PersistentVolumeClaim, DefaultStorageClass.needsClass(claim),
              let classes = catalog.resource(group: "storage.k8s.io", version: "v1", resource: "storageclasses") else { return }
        let listed = try await admissionList(prefix: Self.listPrefix(classes, namespace: ""))
        let decoded = listed.compactMap { try? $0.object(as: classes) as? StorageV1.StorageClass }
        guard let defaultClass = DefaultStorageClass.choose(from: decoded) else { return }
        claim.spec.storageClassName = defaultClass.metadata.name
        object = claim
    }
}
