import KubeModel

extension CoreV1.PersistentVolumeClaim {
    /// The claim's storage class: the beta annotation first, then `spec.storageClassName`, else "".
    public var storageClass: String {
        metadata.annotations?[VolumeAnnotations.betaStorageClass] ?? spec.storageClassName ?? ""
    }

    /// `spec.resources.requests.storage` (zero when absent).
    public var requestedStorage: Quantity { spec.resources?.requests?["storage"] ?? .zero }

    /// Bound to a volume and the binding finished (`spec.volumeName` and `bind-completed`).
    public var isFullyBound: Bool {
        !(spec.volumeName ?? "").isEmpty && metadata.annotations?[VolumeAnnotations.bindCompleted] != nil
    }

    /// `namespace/name`.
    public var claimKey: String { "\(metadata.namespace ?? "")/\(metadata.name ?? "")" }
}

extension CoreV1.PersistentVolume {
    /// The volume's storage class: the beta annotation first, then `spec.storageClassName`, else "".
    public var storageClass: String {
        metadata.annotations?[VolumeAnnotations.betaStorageClass] ?? spec.storageClassName ?? ""
    }

    /// `spec.capacity.storage` (zero when absent).
    public var storageCapacity: Quantity { spec.capacity?["storage"] ?? .zero }

    /// Whether `spec.claimRef` names the claim (and, when it has a UID, the same UID).
    public func isBound(to claim: CoreV1.PersistentVolumeClaim) -> Bool {
        guard let reference = spec.claimRef else { return false }
        guard reference.name == claim.metadata.name, reference.namespace == claim.metadata.namespace else { return false }
        return (reference.uid ?? "").isEmpty || reference.uid == claim.metadata.uid
    }

    /// Whether a node with these labels satisfies the volume's required node affinity
    /// (component-helpers `CheckNodeAffinity`): no node affinity, or no required part, allows
    /// every node; required terms are ORed. As upstream, only labels count: `matchFields`
    /// requirements are not checked against the node's name.
    public func nodeAffinityAllows(labels: [String: String]) -> Bool {
        guard let required = spec.nodeAffinity?.required else { return true }
        return NodeSelectorTerms.match(required.nodeSelectorTerms, labels: labels, name: "")
    }

    /// The claim reference a binding writes: kind, namespace, name, UID, apiVersion and
    /// resourceVersion of the claim.
    public static func claimReference(to claim: CoreV1.PersistentVolumeClaim) -> CoreV1.ObjectReference {
        CoreV1.ObjectReference(
            apiVersion: "v1", kind: "PersistentVolumeClaim", name: claim.metadata.name,
            namespace: claim.metadata.namespace, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid)
    }

    /// The volume bound to the claim (component-helpers `GetBindVolumeToClaim`): `claimRef` set
    /// to the claim, and `bound-by-controller` added unless the volume was already bound to the
    /// claim (by its user). Nil when nothing changes.
    public func boundCopy(to claim: CoreV1.PersistentVolumeClaim) -> CoreV1.PersistentVolume? {
        var volume = self
        var dirty = false
        let byController = !isBound(to: claim)
        let reference = spec.claimRef
        if reference == nil || reference?.name != claim.metadata.name || reference?.namespace != claim.metadata.namespace
            || reference?.uid != claim.metadata.uid {
            volume.spec.claimRef = Self.claimReference(to: claim)
            dirty = true
        }
        if byController && metadata.annotations?[VolumeAnnotations.boundByController] == nil {
            volume.metadata.annotations = (volume.metadata.annotations ?? [:]).merging(
                [VolumeAnnotations.boundByController: "yes"]) { _, new in new }
            dirty = true
        }
        return dirty ? volume : nil
    }
}
