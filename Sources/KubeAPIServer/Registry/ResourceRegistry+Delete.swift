import Foundation
import KubeModel
import KubeStore

extension ResourceRegistry {
    /// The outcome of deleting one object.
    struct DeleteOutcome {
        /// The deleted object, or its new state when deletion is pending.
        var object: any KubeObject
        var deletedNow: Bool
    }

    func delete(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let options = try Self.deleteOptions(request)
        let dryRun = Self.isDryRun(request) || (options.dryRun ?? []).contains("All")
        for attempt in 0..<5 {
            let (object, kv) = try await fetch(request, resource: resource)
            try Self.checkPreconditions(options.preconditions, object, resource)
            do {
                let outcome = try await deleteObject(object, kv: kv, options: options, resource: resource, dryRun: dryRun)
                return Self.deleteResponse(outcome, options: options, resource: resource)
            } catch APIError.conflict(let r, let n, let m) {
                if attempt == 4 { throw APIError.conflict(resource: r, name: n, message: m) }
            }
        }
        throw APIError.internalError("unreachable")
    }

    func deleteCollection(_ request: APIRequest, resource: KubeResource) async throws -> APIResult {
        let options = try Self.deleteOptions(request)
        let dryRun = Self.isDryRun(request) || (options.dryRun ?? []).contains("All")
        let filter = try ObjectFilter(request, resource: resource)
        let prefix = Self.listPrefix(resource, namespace: Self.namespace(of: request, resource))
        let response = try await store.range(RangeRequest(.prefix(prefix)))
        var deleted: [any KubeObject] = []
        for kv in response.kvs {
            let object = try decodeStored(kv, as: resource)
            guard filter.matches(try Self.json(object)) else { continue }
            do {
                let outcome = try await deleteObject(object, kv: kv, options: options, resource: resource, dryRun: dryRun)
                deleted.append(outcome.object)
            } catch APIError.conflict, APIError.notFound {
                continue  // changed or gone meanwhile
            }
        }
        let revision = try await store.currentRevision()
        return .list(ObjectList(resource: resource, items: deleted, metadata: MetaV1.ListMeta(resourceVersion: String(revision))))
    }

    /// `DeleteOptions` from the body, overridden by query parameters.
    static func deleteOptions(_ request: APIRequest) throws -> MetaV1.DeleteOptions {
        var options = MetaV1.DeleteOptions()
        if !request.body.isEmpty {
            do {
                options = try JSONDecoder().decode(MetaV1.DeleteOptions.self, from: request.body)
            } catch let error as DecodingError {
                throw APIError.badRequest("error decoding DeleteOptions: \(describe(error))")
            }
        }
        if let text = request.parameter("gracePeriodSeconds") {
            guard let value = Int64(text) else { throw APIError.badRequest("invalid gracePeriodSeconds \"\(text)\"") }
            options.gracePeriodSeconds = value
        }
        if let policy = request.parameter("propagationPolicy") { options.propagationPolicy = policy }
        if let orphan = request.parameter("orphanDependents") { options.orphanDependents = orphan == "true" }
        if let policy = options.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(policy) {
            throw APIError.invalid(kind: "DeleteOptions", group: "", name: "", causes: [
                .notSupported("propagationPolicy", value: policy, supported: ["Foreground", "Background", "Orphan"])])
        }
        return options
    }

    static func checkPreconditions(_ preconditions: MetaV1.Preconditions?, _ object: any KubeObject, _ resource: KubeResource) throws {
        guard let preconditions else { return }
        let name = object.metadata.name ?? ""
        if let uid = preconditions.uid, uid != (object.metadata.uid ?? "") {
            throw APIError.conflict(resource: groupResource(resource), name: name, message:
                "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.metadata.uid ?? "")")
        }
        if let rv = preconditions.resourceVersion, rv != (object.metadata.resourceVersion ?? "") {
            throw APIError.conflict(resource: groupResource(resource), name: name, message:
                "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(object.metadata.resourceVersion ?? "")")
        }
    }

    /// Deletes at once, or marks the object as being deleted when finalizers, a pending namespace
    /// finalization or a pod's grace period keep it.
    func deleteObject(_ object: any KubeObject, kv: KeyValue, options: MetaV1.DeleteOptions,
                      resource: KubeResource, dryRun: Bool) async throws -> DeleteOutcome {
        let gr = Self.groupResource(resource)
        let name = object.metadata.name ?? ""
        var updated = object
        let finalizers = Self.finalizersForGarbageCollection(object.metadata.finalizers ?? [], options: options, resource: resource)

        var grace: Int64 = 0
        var pendingFinalize = false
        if resource.group.isEmpty, resource.resource == "pods", let pod = object as? CoreV1.Pod {
            let terminal = pod.status.phase == "Succeeded" || pod.status.phase == "Failed"
            if !(pod.spec.nodeName ?? "").isEmpty && !terminal {
                grace = max(0, options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30)
            }
        }
        if resource.group.isEmpty, resource.resource == "namespaces", var namespace = updated as? CoreV1.Namespace {
            namespace.status.phase = "Terminating"
            pendingFinalize = !(namespace.spec.finalizers ?? []).isEmpty
            updated = namespace
        }

        if grace > 0 || !finalizers.isEmpty || pendingFinalize {
            let now = MetaV1.Time.now()
            let currentGrace = object.metadata.deletionGracePeriodSeconds
            if object.metadata.deletionTimestamp == nil || (currentGrace ?? 0) > grace {
                updated.metadata.deletionTimestamp = now.adding(seconds: grace)
                updated.metadata.deletionGracePeriodSeconds = grace
            }
            updated.metadata.finalizers = finalizers.isEmpty ? nil : finalizers
            let bytes = try Self.encodeForStorage(updated)
            if dryRun || bytes == kv.value { return DeleteOutcome(object: updated, deletedNow: false) }
            let result = try await store.update(kv.key, bytes, expectedModRevision: kv.modRevision)
            guard result.succeeded else {
                if result.current == nil { throw APIError.notFound(resource: gr, name: name) }
                throw APIError.conflict(resource: gr, name: name, message: Self.conflictMessage)
            }
            updated.metadata.resourceVersion = String(result.revision)
            return DeleteOutcome(object: updated, deletedNow: false)
        }

        if dryRun { return DeleteOutcome(object: object, deletedNow: true) }
        let result = try await store.deleteIfModRevision(kv.key, expectedModRevision: kv.modRevision)
        guard result.succeeded else {
            if result.kv == nil { throw APIError.notFound(resource: gr, name: name) }
            throw APIError.conflict(resource: gr, name: name, message: Self.conflictMessage)
        }
        await releaseResources(object, resource: resource)
        return DeleteOutcome(object: object, deletedNow: true)
    }

    /// Upstream's `deletionFinalizersForGarbageCollection`: the object's finalizers with
    /// `orphan` / `foregroundDeletion` set as the options ask (`orphanDependents`, then
    /// `propagationPolicy`), else as the object's own finalizers already say, else as the
    /// resource's default policy (orphan for v1 ReplicationControllers, background otherwise).
    static func finalizersForGarbageCollection(_ current: [String], options: MetaV1.DeleteOptions,
                                               resource: KubeResource) -> [String] {
        let orphan = "orphan", foreground = "foregroundDeletion"
        let shouldOrphan: Bool
        let shouldDeleteDependents: Bool
        if let orphanDependents = options.orphanDependents {
            shouldOrphan = orphanDependents
            shouldDeleteDependents = false
        } else if let policy = options.propagationPolicy {
            shouldOrphan = policy == "Orphan"
            shouldDeleteDependents = policy == "Foreground"
        } else if let existing = current.first(where: { $0 == orphan || $0 == foreground }) {
            shouldOrphan = existing == orphan
            shouldDeleteDependents = existing == foreground
        } else {
            shouldOrphan = resource.group.isEmpty && resource.version == "v1" && resource.resource == "replicationcontrollers"
            shouldDeleteDependents = false
        }
        var finalizers = current.filter { $0 != orphan && $0 != foreground }
        if shouldOrphan { finalizers.append(orphan) }
        if shouldDeleteDependents { finalizers.append(foreground) }
        return Set(finalizers) == Set(current) ? current : finalizers
    }

    /// Upstream: the object when deletion is pending (202 only with `orphanDependents: false`);
    /// when deleted at once, the object for pods and a `Status` Success for other kinds.
    static func deleteResponse(_ outcome: DeleteOutcome, options: MetaV1.DeleteOptions, resource: KubeResource) -> APIResult {
        if !outcome.deletedNow {
            return .object(outcome.object, code: options.orphanDependents == false ? 202 : 200)
        }
        if resource.group.isEmpty && resource.resource == "pods" { return .object(outcome.object, code: 200) }
        let details = MetaV1.StatusDetails(
            group: resource.group.isEmpty ? nil : resource.group, kind: resource.resource,
            name: outcome.object.metadata.name, uid: outcome.object.metadata.uid)
        return .status(MetaV1.Status(apiVersion: "v1", code: nil, details: details, kind: "Status",
                                     metadata: MetaV1.ListMeta(), status: "Success"), code: 200)
    }
}
