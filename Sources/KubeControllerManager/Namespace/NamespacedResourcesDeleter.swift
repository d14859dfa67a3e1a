import KubeClient
import KubeModel
import Logging

/// Empties a terminating namespace and then finalizes it (upstream's
/// `namespacedResourcesDeleter`): every namespaced resource that can be deleted is deleted by
/// collection (or object by object), what remains is counted into the namespace's conditions,
/// and once nothing remains the `kubernetes` finalizer is taken out through `finalize`.
struct NamespacedResourcesDeleter: Sendable {
    /// The finalizer token this deleter owns in `spec.finalizers`.
    static let finalizerToken = "kubernetes"
    /// How long objects with finalizers are expected to take (upstream's `finalizerEstimateSeconds`).
    static let finalizerEstimateSeconds: Int64 = 15

    /// Some content was deleted but is not gone yet; come back in about `estimate` seconds.
    struct ResourcesRemaining: Error, CustomStringConvertible {
        var estimate: Int64
        var description: String {
            "some content remains in the namespace, estimate \(estimate) seconds before it is removed"
        }
    }

    let client: any ObjectClient
    let pods: Lister<CoreV1.Pod>
    /// The namespaced resources to empty: preferred versions that support delete.
    let resources: [KubeResource]
    let logger: Logger

    init(client: any ObjectClient, pods: Lister<CoreV1.Pod>, logger: Logger,
         resources: [KubeResource] = NamespacedResourcesDeleter.deletableResources()) {
        self.client = client
        self.pods = pods
        self.logger = logger
        self.resources = resources
    }

    /// Namespaced resources of `catalog` in their preferred version that support delete.
    static func deletableResources(_ catalog: KubeResourceCatalog = .builtIn) -> [KubeResource] {
        var seen = Set<String>()
        return catalog.resources.filter {
            $0.namespaced && $0.supports(KubeVerb.delete) && seen.insert($0.groupResource).inserted
        }
    }

    /// Deletes the content of namespace `name` if it is being deleted, then finalizes it.
    /// Throws ``ResourcesRemaining`` while content is still going away.
    func delete(_ name: String) async throws {
        guard var namespace = try await liveNamespace(name), namespace.metadata.deletionTimestamp != nil else { return }
        if namespace.status.phase != "Terminating" {
            guard let updated = try await retryOnConflict(namespace, markTerminating) else { return }
            namespace = updated
        }
        if namespace.metadata.deletionTimestamp == nil || (namespace.spec.finalizers ?? []).isEmpty { return }
        let estimate = try await deleteAllContent(&namespace)
        if estimate > 0 { throw ResourcesRemaining(estimate: estimate) }
        _ = try await retryOnConflict(namespace, finalize)
    }

    // MARK: Namespace writes

    private func liveNamespace(_ name: String) async throws -> CoreV1.Namespace? {
        do {
            return try await client.get(CoreV1.Namespace.self, namespace: nil, name: name)
        } catch let error as StatusError where error.isNotFound {
            return nil
        }
    }

    /// Runs `write` on the latest namespace, again after a conflict; nil when it is gone.
    private func retryOnConflict(_ namespace: CoreV1.Namespace,
                                 _ write: (CoreV1.Namespace) async throws -> CoreV1.Namespace) async throws -> CoreV1.Namespace? {
        var latest = namespace
        while true {
            do {
                return try await write(latest)
            } catch let error as StatusError where error.isNotFound {
                return nil
            } catch let error as StatusError where error.isConflict {
                guard let fresh = try await liveNamespace(latest.metadata.name ?? "") else { return nil }
                guard fresh.metadata.uid == latest.metadata.uid else {
                    throw NamespaceUIDChanged()
                }
                latest = fresh
            }
        }
    }

    private struct NamespaceUIDChanged: Error, CustomStringConvertible {
        var description: String { "namespace uid has changed across retries" }
    }

    private func markTerminating(_ namespace: CoreV1.Namespace) async throws -> CoreV1.Namespace {
        if namespace.metadata.deletionTimestamp == nil || namespace.status.phase == "Terminating" { return namespace }
        var updated = namespace
        updated.status.phase = "Terminating"
        return try await client.updateStatus(updated)
    }

    /// PUT `namespaces/NAME/finalize` without this deleter's token (the rest sorted, as upstream).
    private func finalize(_ namespace: CoreV1.Namespace) async throws -> CoreV1.Namespace {
        var updated = namespace
        updated.spec.finalizers = Set((namespace.spec.finalizers ?? []).filter { $0 != Self.finalizerToken }).sorted()
        return try await client.update(updated, subresource: "finalize")
    }

    // MARK: Content

    /// Deletes everything in the namespace and records what remains in its conditions; answers
    /// how many seconds the remaining content should take to go.
    func deleteAllContent(_ namespace: inout CoreV1.Namespace) async throws -> Int64 {
        let name = namespace.metadata.name ?? ""
        let deletedAt = namespace.metadata.deletionTimestamp ?? .now()
        var conditions = NamespaceConditionUpdater()
        var errors: [String] = []
        var estimate: Int64 = 0
        var remaining: [GroupVersionResource: Int] = [:]
        var finalizers: [String: Int] = [:]
        for resource in resources {
            let result = await deleteAllContent(of: resource, in: name, deletedAt: deletedAt)
            if let error = result.error {
                errors.append(error)
                conditions.processDeleteContentError(error)
            }
            estimate = max(estimate, result.estimate)
            if result.remaining > 0 {
                remaining[resource.groupVersionResource] = result.remaining
                for (finalizer, count) in result.finalizers where count > 0 { finalizers[finalizer, default: 0] += count }
            }
        }
        conditions.processContentTotals(remaining: remaining, finalizers: finalizers)
        if conditions.update(&namespace.status) {
            do {
                namespace = try await client.updateStatus(namespace)
            } catch {
                logger.warning("couldn't update status condition for namespace", metadata: [
                    "namespace": "\(name)", "error": "\(error)",
                ])
            }
        }
        if !errors.isEmpty { throw ContentDeletionFailed(messages: errors) }
        return estimate
    }

    /// The errors of one pass (upstream aggregates them).
    struct ContentDeletionFailed: Error, CustomStringConvertible {
        var messages: [String]
        var description: String { messages.count == 1 ? messages[0] : "[\(messages.joined(separator: ", "))]" }
    }

    /// What deleting one resource's objects left behind.
    struct ResourceResult {
        var estimate: Int64 = 0
        var remaining = 0
        var finalizers: [String: Int] = [:]
        var error: String?
    }

    func deleteAllContent(of resource: KubeResource, in namespace: String, deletedAt: MetaV1.Time) async -> ResourceResult {
        let estimate = estimateGracefulTermination(resource, in: namespace, deletedAt: deletedAt)
        do {
            if resource.supports(KubeVerb.deleteCollection) {
                try await client.deleteCollection(resource, namespace: namespace, DeleteOptions(propagationPolicy: .background))
            } else if resource.supports(KubeVerb.list) {
                for item in try await client.listMetadata(resource, namespace: namespace) {
                    do {
                        try await client.delete(resource, namespace: namespace, name: item.metadata.name ?? "",
                                                DeleteOptions(propagationPolicy: .background))
                    } catch let error as StatusError where error.isNotFound || error.code == 405 {
                        continue
                    }
                }
            }
            guard resource.supports(KubeVerb.list) else { return ResourceResult(estimate: estimate) }
            let items = try await client.listMetadata(resource, namespace: namespace)
            if items.isEmpty { return ResourceResult() }
            var finalizers: [String: Int] = [:]
            for item in items {
                for finalizer in item.metadata.finalizers ?? [] { finalizers[finalizer, default: 0] += 1 }
            }
            if estimate != 0 || !finalizers.isEmpty {
                return ResourceResult(estimate: estimate != 0 ? estimate : Self.finalizerEstimateSeconds,
                                      remaining: items.count, finalizers: finalizers)
            }
            return ResourceResult(estimate: estimate, remaining: items.count, error:
                "unexpected items still remain in namespace: \(namespace) for gvr: \(Self.describe(resource.groupVersionResource))")
        } catch {
            return ResourceResult(estimate: estimate, error: Self.message(of: error))
        }
    }

    /// For pods: the longest termination grace period of the pods not yet finished, less the
    /// time since the namespace's deletion began.
    func estimateGracefulTermination(_ resource: KubeResource, in namespace: String, deletedAt: MetaV1.Time,
                                     now: MetaV1.Time = .now()) -> Int64 {
        guard resource.group.isEmpty, resource.resource == "pods" else { return 0 }
        var estimate: Int64 = 0
        for pod in pods.list(namespace: namespace) where pod.status.phase != "Succeeded" && pod.status.phase != "Failed" {
            if let grace = pod.spec.terminationGracePeriodSeconds, grace > estimate { estimate = grace }
        }
        return max(0, estimate - (now.secondsSinceEpoch - deletedAt.secondsSinceEpoch))
    }

    /// upstream's `GroupVersionResource.String()`: `/v1, Resource=pods`.
    static func describe(_ gvr: GroupVersionResource) -> String {
        "\(gvr.group)/\(gvr.version), Resource=\(gvr.resource)"
    }

    static func message(of error: any Error) -> String {
        if let status = error as? StatusError { return status.message }
        return "\(error)"
    }
}
