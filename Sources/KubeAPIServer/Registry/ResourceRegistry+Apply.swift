import Foundation
import KubeModel
import KubeStore

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`): the applied configuration is
/// merged into the live object by ``ServerSideApply`` with field ownership in
/// `metadata.managedFields`; a missing object is created. Conflicts with other managers are a
/// 409 unless `force=true`.
extension ResourceRegistry {
    static let applyContentType = "application/apply-patch+yaml"

    func serverSideApply(_ request: APIRequest, resource: KubeResource, mode: UpdateMode) async throws -> APIResult {
        guard let manager = request.parameter("fieldManager"), !manager.isEmpty else {
            throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "", causes: [
                .required("fieldManager", "is required for apply patch")])
        }
        let force = request.parameter("force") == "true"
        let applied: JSONValue
        do {
            applied = try JSONParser.parse(request.body)
        } catch {
            throw APIError.badRequest("error decoding apply configuration: \(error)")
        }
        guard case .object = applied else { throw APIError.badRequest("an apply configuration must be an object") }
        let gvk = GroupVersionKind(group: resource.group, version: resource.version, kind: resource.kind)
        let subresource = mode == .status ? "status" : nil
        for _ in 0..<5 {
            let live: (any KubeObject)?
            do {
                live = try await fetch(request, resource: resource).0
            } catch APIError.notFound(let r, let n) {
                guard mode == .main else { throw APIError.notFound(resource: r, name: n) }
                live = nil
            }
            let liveJSON = try live.map { try Self.json($0) }
            let merged: (object: JSONValue, managedFields: [MetaV1.ManagedFieldsEntry])
            do {
                merged = try ServerSideApply.apply(live: liveJSON, applied: applied, manager: manager, force: force,
                                                   managedFields: live?.metadata.managedFields ?? [],
                                                   gvk: gvk, subresource: subresource)
            } catch let conflict as ApplyConflict {
                throw APIError.applyConflict(message: conflict.message, causes: conflict.causes.map {
                    APIError.FieldCause(reason: $0.reason, field: $0.field, message: $0.message)
                })
            } catch let error as ApplyError {
                throw APIError.badRequest(error.message)
            }
            var object = try Self.decodePatched(merged.object, as: resource)
            object.metadata.managedFields = merged.managedFields.isEmpty ? nil : merged.managedFields
            if let result = try await store(applied: object, live: live, request, resource: resource, mode: mode) {
                return result
            }
        }
        throw APIError.conflict(resource: Self.groupResource(resource), name: request.info.name, message: Self.conflictMessage)
    }

    /// Creates the object (no live one) or writes it over `live`; nil when a concurrent write
    /// got there first and the apply should run again.
    private func store(applied: any KubeObject, live: (any KubeObject)?, _ request: APIRequest,
                       resource: KubeResource, mode: UpdateMode) async throws -> APIResult? {
        var object = applied
        var request = request
        request.managedFieldsRecorded = true
        if let live {
            object.metadata.uid = live.metadata.uid
            object.metadata.creationTimestamp = live.metadata.creationTimestamp
            object.metadata.resourceVersion = live.metadata.resourceVersion
            do {
                return try await write(object, request, resource: resource, mode: mode)
            } catch APIError.conflict {
                return nil
            }
        }
        object.metadata.uid = nil
        object.metadata.resourceVersion = nil
        object.metadata.creationTimestamp = nil
        var create = request
        create.managedFieldsRecorded = true
        create.info = RequestInfo(method: "POST", path: Self.collectionPath(resource, namespace: request.info.namespace))
        create.contentType = "application/json"
        create.body = try Self.encoder.encode(object)
        let result: APIResult
        do {
            result = try await self.create(create, resource: resource)
        } catch {
            if case .alreadyExists = error { return nil }
            throw error
        }
        return result
    }

    /// `/api/v1/namespaces/ns/pods`, `/apis/apps/v1/deployments`.
    static func collectionPath(_ resource: KubeResource, namespace: String) -> String {
        let prefix = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        return resource.namespaced && !namespace.isEmpty
            ? "\(prefix)/namespaces/\(namespace)/\(resource.resource)" : "\(prefix)/\(resource.resource)"
    }
}
