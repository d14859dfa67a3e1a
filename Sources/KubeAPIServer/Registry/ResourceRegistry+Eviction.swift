import Foundation
import KubeModel
import KubeStore

/// `pods/{name}/eviction` (policy/v1 Eviction): deletes the pod unless its PodDisruptionBudget
/// allows no disruption now, as upstream's eviction REST does. Terminal, pending and
/// terminating pods are deleted without looking at budgets; a budget that allows a disruption
/// is decremented (and the pod recorded in `status.disruptedPods`) before the delete.
extension ResourceRegistry {
    static let evictionBlockedMessage = "Cannot evict pod as it would violate the pod's disruption budget."
    /// Upstream's `MaxDisruptedPodSize`.
    static let maxDisruptedPods = 2000

    func evict(_ request: APIRequest, resource pods: KubeResource) async throws -> APIResult {
        let eviction: PolicyV1.Eviction
        do {
            eviction = try JSONDecoder().decode(PolicyV1.Eviction.self, from: request.body)
        } catch let error as DecodingError {
            throw APIError.badRequest("error decoding Eviction: \(Self.describe(error))")
        }
        if eviction.metadata.name != request.info.name {
            throw APIError.badRequest("name in URL does not match name in Eviction object")
        }
        var options = eviction.deleteOptions ?? MetaV1.DeleteOptions()
        let requestDryRun = request.query["dryRun"] ?? []
        if options.dryRun?.isEmpty ?? true {
            options.dryRun = requestDryRun.isEmpty ? nil : requestDryRun
        } else if !requestDryRun.isEmpty && requestDryRun != options.dryRun {
            throw APIError.badRequest("Non-matching dry-run options in request and content: \(requestDryRun) and \(options.dryRun ?? [])")
        }
        let dryRun = (options.dryRun ?? []).contains("All")

        let (object, kv) = try await fetch(request, resource: pods)
        guard let pod = object as? CoreV1.Pod else { throw APIError.internalError("stored pod is not a Pod") }
        let phase = pod.status.phase ?? ""
        let ignoresBudgets = ["Succeeded", "Failed", "Pending"].contains(phase) || pod.metadata.deletionTimestamp != nil
        if !ignoresBudgets {
            let budgets = try await disruptionBudgets(covering: pod)
            if budgets.count > 1 {
                return .status(MetaV1.Status(
                    apiVersion: "v1", code: 500, kind: "Status",
                    message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                    metadata: MetaV1.ListMeta(), status: "Failure"), code: 500)
            }
            if let budget = budgets.first {
                try await takeDisruption(from: budget, pod: pod, dryRun: dryRun)
            }
        }
        try Self.checkPreconditions(options.preconditions, object, pods)
        _ = try await deleteObject(object, kv: kv, options: options, resource: pods, dryRun: dryRun)
        return .status(MetaV1.Status(apiVersion: "v1", kind: "Status", metadata: MetaV1.ListMeta(), status: "Success"), code: 201)
    }

    /// The namespace's budgets whose selector matches the pod (policy/v1: an empty selector
    /// matches every pod, a missing or invalid one none).
    private func disruptionBudgets(covering pod: CoreV1.Pod) async throws -> [(PolicyV1.PodDisruptionBudget, KeyValue)] {
        guard let resource = catalog.resource(group: "policy", version: "v1", resource: "poddisruptionbudgets") else { return [] }
        let prefix = Self.listPrefix(resource, namespace: pod.metadata.namespace ?? "")
        let response = try await store.range(RangeRequest(.prefix(prefix)))
        var matching: [(PolicyV1.PodDisruptionBudget, KeyValue)] = []
        for kv in response.kvs {
            guard let budget = try decodeStored(kv, as: resource) as? PolicyV1.PodDisruptionBudget,
                  let selector = try? Labels.Selector(budget.spec.selector),
                  selector.matches(pod.metadata.labels ?? [:]) else { continue }
            matching.append((budget, kv))
        }
        return matching
    }

    /// Checks the budget allows a disruption and records it (upstream `checkAndDecrement`),
    /// retrying on concurrent changes of the budget.
    private func takeDisruption(from found: (PolicyV1.PodDisruptionBudget, KeyValue), pod: CoreV1.Pod, dryRun: Bool) async throws {
        guard let resource = catalog.resource(group: "policy", version: "v1", resource: "poddisruptionbudgets") else { return }
        var (budget, kv) = found
        let name = budget.metadata.name ?? ""
        let podName = pod.metadata.name ?? ""
        for _ in 0..<20 {
            let status = budget.status
            if (status.observedGeneration ?? 0) < (budget.metadata.generation ?? 0) {
                throw APIError.tooManyRequests(retryAfterSeconds: 10, message: Self.evictionBlockedMessage, causes: [
                    .init(reason: "DisruptionBudget", field: "", message: "The disruption budget \(name) is still being processed by the server."),
                ])
            }
            let allowed = status.disruptionsAllowed ?? 0
            let gr = APIError.GroupResource(group: "policy", resource: "poddisruptionbudget")
            if allowed < 0 {
                throw APIError.forbidden(resource: gr, name: name, message: "pdb disruptions allowed is negative")
            }
            if (status.disruptedPods ?? [:]).count > Self.maxDisruptedPods {
                throw APIError.forbidden(resource: gr, name: name,
                                         message: "DisruptedPods map too big - too many evictions not confirmed by PDB controller")
            }
            if allowed == 0 {
                throw APIError.tooManyRequests(retryAfterSeconds: 0, message: Self.evictionBlockedMessage, causes: [
                    .init(reason: "DisruptionBudget", field: "",
                          message: "The disruption budget \(name) needs \(status.desiredHealthy ?? 0) healthy pods and has \(status.currentHealthy ?? 0) currently"),
                ])
            }
            if dryRun { return }
            var updated = status
            updated.disruptionsAllowed = allowed - 1
            updated.disruptedPods = (status.disruptedPods ?? [:]).merging([podName: .now()]) { _, new in new }
            if allowed - 1 == 0 { Self.markDisruptionNotAllowed(&updated) }
            budget.status = updated
            let result = try await store.update(kv.key, try Self.encodeForStorage(budget), expectedModRevision: kv.modRevision)
            if result.succeeded { return }
            guard let current = result.current,
                  let reread = try decodeStored(current, as: resource) as? PolicyV1.PodDisruptionBudget else {
                throw APIError.notFound(resource: gr, name: name)
            }
            (budget, kv) = (reread, current)
        }
        throw APIError.timeout("couldn't update PodDisruptionBudget \"\(name)\" due to conflicts")
    }

    /// The `DisruptionAllowed` condition once no disruption is left (upstream's pdb helper).
    static func markDisruptionNotAllowed(_ status: inout PolicyV1.PodDisruptionBudgetStatus) {
        var conditions = status.conditions ?? []
        let existing = conditions.firstIndex { $0.type == "DisruptionAllowed" }
        if let existing, conditions[existing].status == "False" { return }
        let condition = MetaV1.Condition(
            lastTransitionTime: .now(), message: "", observedGeneration: status.observedGeneration,
            reason: "InsufficientPods", status: "False", type: "DisruptionAllowed")
        if let existing { conditions[existing] = condition } else { conditions.append(condition) }
        status.conditions = conditions
    }
}
