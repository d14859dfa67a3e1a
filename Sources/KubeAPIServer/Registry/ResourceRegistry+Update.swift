import Foundation
import KubeModel
import KubeStore

extension ResourceRegistry {
    /// Which part of the object a write may change.
    enum UpdateMode {
        /// The main resource: everything but `status` when the kind has a status subresource.
        case main
        /// `…/status`: only `status`.
        case status
        /// `namespaces/{name}/finalize`: only `spec.finalizers`.
        case finalize

        /// The subresource a write in this mode is recorded under in managedFields.
        var subresource: String? {
            switch self {
            case .main: nil
            case .status: "status"
            case .finalize: "finalize"
            }
        }
    }

    func update(_ request: APIRequest, resource: KubeResource, mode: UpdateMode) async throws -> APIResult {
        let (object, warnings) = try Self.decodeValidatedBody(request, as: resource, optionsKind: "UpdateOptions")
        try Self.checkTypeMeta(object, resource)
        return try await write(object, request, resource: resource, mode: mode).addingWarnings(warnings)
    }

    static let conflictMessage = "the object has been modified; please apply your changes to the latest version and try again"

    /// The common update path: checks identity and resourceVersion, merges the allowed part of
    /// `new` into the stored object, bumps generation on spec changes, and writes with a
    /// compare-and-swap on the modRevision. Removing the last finalizer of an object being
    /// deleted deletes it.
    ///
    /// The update starts from the watch cache's copy of the object when it has one (see
    /// `UpdateBase`), and again from a read of the store when that copy may be stale.
    func write(_ new: any KubeObject, _ request: APIRequest, resource: KubeResource, mode: UpdateMode,
               subresource: String? = nil) async throws -> APIResult {
        let name = request.info.name
        let gr = Self.groupResource(resource)
        if (new.metadata.name ?? "") != name {
            throw APIError.badRequest("the name of the object (\(new.metadata.name ?? "")) does not match the name on the URL (\(name))")
        }
        let namespace = Self.namespace(of: request, resource)
        if resource.namespaced, let bodyNamespace = new.metadata.namespace, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let key = Self.key(resource, namespace: namespace, name: name)
        if !Self.isDryRun(request), let cached = watchCache?.object(forKey: key), !cached.value.isEmpty {
            do {
                return try await write(new, request, resource: resource, mode: mode, subresource: subresource,
                                       key: key, base: UpdateBase(cached: cached))
            } catch {
                // `UpdateBase.Stale`, or any other failure: it may come from a stale copy (a
                // validation against an old version), so the store decides, as upstream's
                // GuaranteedUpdate retries from etcd whatever failed on its cached object.
            }
        }
        guard let kv = try await store.get(key) else { throw APIError.notFound(resource: gr, name: name) }
        return try await write(new, request, resource: resource, mode: mode, subresource: subresource,
                               key: key, base: UpdateBase(stored: cachedEntry(kv)))
    }

    private func write(_ new: any KubeObject, _ request: APIRequest, resource: KubeResource, mode: UpdateMode,
                       subresource: String?, key: String, base kv: UpdateBase) async throws -> APIResult {
        let name = request.info.name
        let gr = Self.groupResource(resource)
        let namespace = Self.namespace(of: request, resource)
        // Without a resourceVersion the update is unconditional (last writer wins), as upstream
        // allows for the built-in kinds; with one it must match.
        if let versionText = new.metadata.resourceVersion, !versionText.isEmpty, Revision(versionText) != kv.modRevision {
            try kv.requireStore(if: true)
            throw APIError.conflict(resource: gr, name: name, message: Self.conflictMessage)
        }
        let old = try kv.object(as: resource)
        var updated = try Self.merge(old: old, new: new, resource: resource, mode: mode)
        let writtenSubresource = subresource ?? mode.subresource
        if mode == .main {
            try admitUpdate(&updated, old: old, resource: resource)
            if writtenSubresource == nil {
                try await admitLimitRanges(&updated, old: old, resource: resource, namespace: namespace)
            }
        } else {
            strategies.strategy(for: resource)?.applyDefaults(&updated)
        }
        let quotaHandles = Self.quotaHandlesUpdate(resource, subresource: writtenSubresource, updated, old: old)
        // Quota charges and service allocations are not undone when the write then fails: they
        // start only from the store's current state.
        try kv.requireStore(if: quotaHandles || (mode == .main && Self.isServices(resource)))
        if quotaHandles {
            try await admitResourceQuota(updated, old: old, resource: resource, namespace: namespace,
                                         dryRun: Self.isDryRun(request), subresource: writtenSubresource)
        }
        try recordManagedFields(&updated, old: old, request, resource: resource, subresource: writtenSubresource)

        if Self.isFinalized(updated, resource) {
            if Self.isDryRun(request) { return .object(updated, code: 200) }
            let result = try await store.deleteIfModRevision(key, expectedModRevision: kv.modRevision)
            try kv.requireStore(if: !result.succeeded)
            guard result.succeeded else { throw APIError.conflict(resource: gr, name: name, message: Self.conflictMessage) }
            await releaseResources(updated, resource: resource)
            return .object(updated, code: 200)
        }
        let reallocated = mode == .main
            ? try await reallocateResources(&updated, old: old, resource: resource, dryRun: Self.isDryRun(request)) : false
        let bytes = try Self.encodeForStorage(updated)
        try kv.requireStore(if: bytes == kv.value)
        if bytes == kv.value || Self.isDryRun(request) { return .object(bytes == kv.value ? old : updated, code: 200) }
        let lease = try await writeLease(for: resource)
        expectWrite(key: key, bytes: bytes, object: updated, resource: resource)
        let result = try await store.update(key, bytes, expectedModRevision: kv.modRevision, lease: lease)
        guard result.succeeded else {
            try kv.requireStore(if: true)
            if result.current == nil { throw APIError.notFound(resource: gr, name: name) }
            throw APIError.conflict(resource: gr, name: name, message: Self.conflictMessage)
        }
        updated.metadata.resourceVersion = String(result.revision)
        let stored = written(key: key, bytes: bytes, revision: result.revision, object: updated, resource: resource)
        return .stored(stored, .object(updated, code: 200))
    }

    /// The object to store: `new` restricted to what `mode` may change, with the immutable
    /// metadata of `old`.
    static func merge(old: any KubeObject, new: any KubeObject, resource: KubeResource,
                      mode: UpdateMode) throws -> any KubeObject {
        if mode == .status, var result = replacingStatus(of: old, with: new) {
            // The stored object with the request's status, typed: no round trip through JSON.
            result.metadata = old.metadata
            result.apiVersion = resource.apiVersion
            result.kind = resource.kind
            return result
        }
        let isNamespace = resource.resource == "namespaces" && resource.group.isEmpty
        if mode == .main, !isNamespace,
           var result = resource.subresource("status") == nil ? new : replacingStatus(of: new, with: old) {
            // Everything of `new` is kept but a status that only the status subresource writes:
            // no round trip through JSON (a Lease renewal, a ConfigMap update, a Deployment's
            // spec). Its spec is compared only when a generation may have to move.
            result.metadata = try mainMetadata(old: old, new: new) {
                let members = try differingMembers(of: new, from: old)
                return members.map { $0.old["spec"] != $0.new["spec"] } ?? true
            }
            result.apiVersion = resource.apiVersion
            result.kind = resource.kind
            return result
        }
        let oldJSON = try json(old)
        let newJSON = try json(new)
        var merged: JSONValue
        switch mode {
        case .main:
            merged = newJSON
            if resource.subresource("status") != nil { merged.set("status", oldJSON["status"]) }
            if isNamespace {
                var spec = merged["spec"] ?? .object([:])
                spec.set("finalizers", oldJSON.value(at: "spec.finalizers"))
                merged.set("spec", spec)
            }
        case .status:
            merged = oldJSON
            merged.set("status", newJSON["status"])
        case .finalize:
            merged = oldJSON
            var spec = merged["spec"] ?? .object([:])
            spec.set("finalizers", newJSON.value(at: "spec.finalizers"))
            merged.set("spec", spec)
        }
        var result = try object(from: merged, as: resource)
        if mode == .main {
            result.metadata = mainMetadata(old: old, new: new) { oldJSON["spec"] != merged["spec"] }
        } else {
            result.metadata = old.metadata
        }
        result.apiVersion = resource.apiVersion
        result.kind = resource.kind
        return result
    }

    /// `old` with `new`'s status, when both are of one kind with a `status` (nil otherwise).
    static func replacingStatus(of old: any KubeObject, with new: any KubeObject) -> (any KubeObject)? {
        func replace<T: KubeObjectWithStatus>(_ old: T) -> (any KubeObject)? {
            guard let new = new as? T else { return nil }
            var result = old
            result.status = new.status
            return result
        }
        guard let old = old as? any KubeObjectWithStatus else { return nil }
        return replace(old)
    }

    /// The metadata of a main-resource update: `new`'s, with the immutable and system-managed
    /// fields of `old`; the generation moves when `specChanged` says the spec did.
    private static func mainMetadata(old: any KubeObject, new: any KubeObject,
                                     specChanged: () throws -> Bool) rethrows -> MetaV1.ObjectMeta {
        var meta = new.metadata
        meta.uid = old.metadata.uid
        meta.creationTimestamp = old.metadata.creationTimestamp
        meta.generateName = old.metadata.generateName
        meta.deletionTimestamp = old.metadata.deletionTimestamp
        meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds
        meta.namespace = old.metadata.namespace
        meta.generation = old.metadata.generation
        if let generation = old.metadata.generation, try specChanged() {
            meta.generation = generation + 1
        }
        if meta.finalizers?.isEmpty == true { meta.finalizers = nil }
        if meta.ownerReferences?.isEmpty == true { meta.ownerReferences = nil }
        return meta
    }

    /// Being deleted, no finalizer left (for namespaces: `spec.finalizers` too) and no grace
    /// period pending: the object can go.
    static func isFinalized(_ object: any KubeObject, _ resource: KubeResource) -> Bool {
        guard object.metadata.deletionTimestamp != nil,
              (object.metadata.finalizers ?? []).isEmpty,
              (object.metadata.deletionGracePeriodSeconds ?? 0) == 0
        else { return false }
        if resource.resource == "namespaces" && resource.group.isEmpty,
           let namespace = object as? CoreV1.Namespace {
            return (namespace.spec.finalizers ?? []).isEmpty
        }
        return true
    }
}
