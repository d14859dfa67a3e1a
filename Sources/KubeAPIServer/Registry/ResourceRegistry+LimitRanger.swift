import Foundation
import KubeModel
import KubeStore

/// The LimitRanger admission plugin on pod creation: the namespace's LimitRanges, in name
/// order, fill in container defaults and refuse pods outside their bounds (403, upstream's
/// messages; several violations of one LimitRange are listed together).
extension ResourceRegistry {
    func admitLimitRanges(_ object: inout any KubeObject, resource: KubeResource, namespace: String) async throws {
        guard resource.group.isEmpty, resource.resource == "pods", var pod = object as? CoreV1.Pod,
              let limitRanges = catalog.resource(group: "", version: "v1", resource: "limitranges") else { return }
        let listed = try await store.range(RangeRequest(.prefix(Self.listPrefix(limitRanges, namespace: namespace))))
        guard !listed.kvs.isEmpty else { return }
        // Upstream decodes (and so defaults: requests from limits) before admission runs.
        var defaulted: any KubeObject = pod
        strategies.strategy(for: resource)?.applyDefaults(&defaulted)
        if let defaultedPod = defaulted as? CoreV1.Pod { pod = defaultedPod }
        for kv in listed.kvs {
            guard let range = try? decodeStored(kv, as: limitRanges) as? CoreV1.LimitRange else { continue }
            let errors = LimitRanger.apply(range, to: &pod)
            if !errors.isEmpty {
                throw APIError.forbidden(
                    resource: Self.groupResource(resource), name: pod.metadata.name ?? "",
                    message: errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
            }
        }
        object = pod
    }
}
