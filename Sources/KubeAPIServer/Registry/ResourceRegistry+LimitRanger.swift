import Foundation
import KubeModel
import KubeStore

/// The LimitRanger admission plugin: on pod creation the namespace's LimitRanges, in name
/// order, fill in container defaults and refuse pods outside their bounds; on claim creation
/// and update they refuse storage requests outside their bounds (403, upstream's messages;
/// several violations of one LimitRange are listed together). Pod updates (other than
/// `resize`, not served yet) and writes to objects being deleted are not checked, as upstream.
extension ResourceRegistry {
    /// `old` is the stored object on an update of the main resource.
    func admitLimitRanges(_ object: inout any KubeObject, old: (any KubeObject)? = nil, resource: KubeResource,
                          namespace: String) async throws {
        guard resource.group.isEmpty, ["pods", "persistentvolumeclaims"].contains(resource.resource),
              let limitRanges = catalog.resource(group: "", version: "v1", resource: "limitranges") else { return }
        if let old, resource.resource == "pods" || old.metadata.deletionTimestamp != nil { return }
        let listed = try await admissionList(prefix: Self.listPrefix(limitRanges, namespace: namespace))
        guard !listed.isEmpty else { return }
        let ranges = listed.compactMap { try? $0.object(as: limitRanges) as? CoreV1.LimitRange }
        if let claim = object as? CoreV1.PersistentVolumeClaim {
            for range in ranges {
                try throwIfViolated(LimitRanger.validate(range, claim: claim, old: old as? CoreV1.PersistentVolumeClaim),
                                    resource, name: claim.metadata.name ?? "")
            }
            return
        }
        guard var pod = object as? CoreV1.Pod else { return }
        // Upstream decodes (and so defaults: requests from limits) before admission runs.
        var defaulted: any KubeObject = pod
        strategies.strategy(for: resource)?.applyDefaults(&defaulted)
        if let defaultedPod = defaulted as? CoreV1.Pod { pod = defaultedPod }
        for range in ranges {
            try throwIfViolated(LimitRanger.apply(range, to: &pod), resource, name: pod.metadata.name ?? "")
        }
        object = pod
    }

    /// 403 with the violations of one LimitRange (upstream's error aggregate: one message, or
    /// `[a, b]`).
    private func throwIfViolated(_ errors: [String], _ resource: KubeResource, name: String) throws {
        guard !errors.isEmpty else { return }
        throw APIError.forbidden(resource: Self.groupResource(resource), name: name,
                                 message: errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
    }
}
