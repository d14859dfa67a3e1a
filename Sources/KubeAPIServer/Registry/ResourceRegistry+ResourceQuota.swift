import Foundation
import KubeModel
import KubeQuota
import KubeStore

/// The ResourceQuota admission plugin (upstream's `plugin/pkg/admission/resourcequota`): every
/// quota of the namespace that covers the object and tracks something it uses must have room
/// for it; the usage is then reserved in the quota's `status.used` (compare-and-swap on the
/// quota, retried on conflicts) before the object is stored, so concurrent writes cannot
/// overrun a quota. On an update only the increase over the stored object is charged. The
/// resource quota controller recomputes `status.used` from what exists.
extension ResourceRegistry {
    static let quotaWriteAttempts = 5

    /// Whether quota evaluates an update of `resource` through `subresource` (nil: the main
    /// resource), as upstream's evaluators' `Handles` say: services on any update (the type can
    /// change), claims on the main resource (expansion) and on `status` when the allocated size
    /// changes, pods only through `resize` (which Skiff does not serve yet); other kinds are
    /// object counts, charged on creation only.
    static func quotaHandlesUpdate(_ resource: KubeResource, subresource: String?,
                                   _ object: any KubeObject, old: any KubeObject) -> Bool {
        guard resource.group.isEmpty else { return false }
        switch resource.resource {
        case "services":
            return true
        case "persistentvolumeclaims":
            switch subresource {
            case nil: return true
            case "status":
                let claim = object as? CoreV1.PersistentVolumeClaim
                let oldClaim = old as? CoreV1.PersistentVolumeClaim
                return claim?.status.allocatedResources?["storage"] != oldClaim?.status.allocatedResources?["storage"]
            default: return false
            }
        case "pods":
            return subresource == "resize"
        default:
            return false
        }
    }

    /// Admits `object` against the namespace's quotas; `old` is the stored object on an update.
    /// A `status` write is charged but never refused, as upstream.
    func admitResourceQuota(_ object: any KubeObject, old: (any KubeObject)? = nil, resource: KubeResource,
                            namespace: String, dryRun: Bool, subresource: String? = nil) async throws {
        guard resource.namespaced,
              let quotas = catalog.resource(group: "", version: "v1", resource: "resourcequotas") else { return }
        let usage = QuotaUsage.usage(of: object, group: resource.group, resource: resource.resource)
        let oldUsage = old.map { QuotaUsage.usage(of: $0, group: resource.group, resource: resource.resource) }
        let name = object.metadata.name ?? ""
        for attempt in 0..<Self.quotaWriteAttempts {
            // After a conflict the cache may be behind the quota's last write: read the store.
            let listed = try await admissionList(prefix: Self.listPrefix(quotas, namespace: namespace), fromStore: attempt > 0)
            guard !listed.isEmpty else { return }
            var reservations: [(CachedObject, CoreV1.ResourceQuota)] = []
            for stored in listed {
                guard var quota = try? stored.object(as: quotas) as? CoreV1.ResourceQuota,
                      QuotaScopes.matches(quota, object, resource: resource.resource) else { continue }
                let hard = quota.status.hard ?? quota.spec.hard ?? [:]
                let tracked = QuotaUsage.matchingResources(Set(hard.keys), group: resource.group, resource: resource.resource)
                guard !tracked.isEmpty else { continue }
                let quotaName = quota.metadata.name ?? ""
                if let pod = object as? CoreV1.Pod, let violation = QuotaUsage.podConstraintViolation(pod, tracked: tracked) {
                    throw forbiddenByQuota(resource, name, "failed quota: \(quotaName): \(violation)")
                }
                let used = quota.status.used ?? [:]
                let unknown = tracked.filter { used[$0] == nil }.sorted()
                if !unknown.isEmpty {
                    throw forbiddenByQuota(resource, name,
                        "status unknown for quota: \(quotaName), resources: \(unknown.joined(separator: ","))")
                }
                // An update is charged the increase when the quota covered the stored object too,
                // else the whole usage.
                var delta = usage
                if let old, let oldUsage, QuotaScopes.matches(quota, old, resource: resource.resource) {
                    delta = QuotaUsage.subtractNonNegative(usage, oldUsage)
                }
                let requested = QuotaUsage.mask(delta, tracked).filter { !$0.value.isZero }
                guard !requested.isEmpty else { continue }
                let newUsage = QuotaUsage.add(used, requested)
                let (allowed, exceeded) = QuotaUsage.lessThanOrEqual(QuotaUsage.mask(newUsage, Set(requested.keys)), hard)
                if !allowed && subresource != "status" {
                    throw forbiddenByQuota(resource, name,
                        "exceeded quota: \(quotaName), requested: \(QuotaUsage.prettyPrint(QuotaUsage.mask(requested, exceeded))), used: \(QuotaUsage.prettyPrint(QuotaUsage.mask(used, exceeded))), limited: \(QuotaUsage.prettyPrint(QuotaUsage.mask(hard, exceeded)))")
                }
                quota.status.used = QuotaUsage.mask(newUsage, Set(hard.keys))
                reservations.append((stored, quota))
            }
            if dryRun || reservations.isEmpty { return }
            var conflicted = false
            for (stored, quota) in reservations {
                let result = try await store.update(stored.key, try Self.encodeForStorage(quota), expectedModRevision: stored.revision)
                if !result.succeeded { conflicted = true }
            }
            if !conflicted { return }
        }
        throw APIError.conflict(resource: Self.groupResource(quotas), name: namespace, message:
            "Operation cannot be fulfilled on resourcequotas: the quota was changed by other writers too often; please retry")
    }

    private func forbiddenByQuota(_ resource: KubeResource, _ name: String, _ message: String) -> APIError {
        APIError.forbidden(resource: Self.groupResource(resource), name: name, message: message)
    }
}
