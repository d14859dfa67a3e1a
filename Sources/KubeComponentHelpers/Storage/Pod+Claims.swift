import KubeModel

extension CoreV1.Pod {
    /// The claims the pod's volumes use, in volume order: `persistentVolumeClaim.claimName`, and
    /// `<pod>-<volume>` for generic ephemeral volumes (upstream's `ephemeral.VolumeClaimName`).
    public var claimNames: [(name: String, ephemeral: Bool)] {
        (spec.volumes ?? []).compactMap { volume in
            if let claim = volume.persistentVolumeClaim { return (claim.claimName, false) }
            if volume.ephemeral != nil { return ("\(metadata.name ?? "")-\(volume.name)", true) }
            return nil
        }
    }
}
