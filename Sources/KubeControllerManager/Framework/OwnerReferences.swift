import KubeModel

/// Owner references as controllers use them (upstream's `metav1.GetControllerOf`,
/// `NewControllerRef`).
public enum OwnerReferences {
    /// The reference with `controller: true`, if any.
    public static func controller(of object: some KubeObject) -> MetaV1.OwnerReference? {
        object.metadata.ownerReferences?.first { $0.controller == true }
    }

    /// A controller reference to `owner`, blocking its foreground deletion (what controllers put
    /// on the objects they create).
    public static func controllerReference<Owner: KubeObject>(to owner: Owner) -> MetaV1.OwnerReference {
        var reference = MetaV1.OwnerReference()
        reference.apiVersion = Owner.groupVersionKind.apiVersion
        reference.kind = Owner.groupVersionKind.kind
        reference.name = owner.metadata.name ?? ""
        reference.uid = owner.metadata.uid ?? ""
        reference.controller = true
        reference.blockOwnerDeletion = true
        return reference
    }

    /// True when `reference` points at `owner` (same kind and UID).
    public static func references<Owner: KubeObject>(_ reference: MetaV1.OwnerReference, _ owner: Owner) -> Bool {
        reference.kind == Owner.groupVersionKind.kind && reference.uid == owner.metadata.uid
            && apiGroup(of: reference.apiVersion) == Owner.groupVersionKind.group
    }

    /// The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → "").
    public static func apiGroup(of apiVersion: String) -> String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }
}
