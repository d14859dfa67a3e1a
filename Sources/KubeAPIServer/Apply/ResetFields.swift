import KubeModel

/// The fields a request's strategy resets, which field management neither records nor reports
/// conflicts on (upstream's `GetResetFields` of each registry strategy, fed to the field
/// manager's ignore filter).
///
/// Writes to the main resource of a kind with a `status` subresource reset `status`; writes to
/// `/status` reset `spec` — and for pods also `metadata.deletionTimestamp` and
/// `metadata.ownerReferences`, for the apps workloads `metadata.labels`.
public enum ResetFields {
    public static func fields(for gvk: GroupVersionKind, subresource: String?,
                              catalog: KubeResourceCatalog = .builtIn) -> FieldSet {
        switch subresource ?? "" {
        case "":
            let hasStatus = catalog.resource(for: gvk)?.subresources.contains { $0.name == "status" } ?? false
            return hasStatus ? status : FieldSet()
        case "status":
            switch (gvk.group, gvk.kind) {
            case ("", "Pod"): return podStatusWrite
            case ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"):
                return workloadStatusWrite
            default: return spec
            }
        default:
            return FieldSet()
        }
    }

    // Built once: every write asks.
    private static let status = FieldSet(dotted: "status")
    private static let spec = FieldSet(dotted: "spec")
    private static let podStatusWrite = FieldSet(dotted: "spec", "metadata.deletionTimestamp", "metadata.ownerReferences")
    private static let workloadStatusWrite = FieldSet(dotted: "spec", "metadata.labels")
}
