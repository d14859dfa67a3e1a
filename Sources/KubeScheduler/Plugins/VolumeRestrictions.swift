import KubeModel

/// Keeps pods off volumes others hold exclusively (upstream `VolumeRestrictions`): a
/// ReadWriteOncePod claim used by any scheduled pod, and the same GCE PD, AWS EBS volume, RBD
/// image or iSCSI target already mounted on the node (unless both mounts are read-only, where
/// the volume type allows that). Both are plain Unschedulable, so preemption may free them.
public struct VolumeRestrictions: PreFilterExtensions, FilterPlugin {
    public static let errReasonDiskConflict = "node(s) had no available disk"
    public static let errReasonReadWriteOncePodConflict =
        "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"

    static let stateKey = CycleState.Key<PreFilterState>(.volumeRestrictionsPreFilter)

    struct PreFilterState: Sendable {
        /// `namespace/name` of the pod's ReadWriteOncePod claims.
        var readWriteOncePodClaims: Set<String>
        /// Scheduled pods using one of those claims.
        var conflictingReferences: Int
    }

    public init() {}

    public var name: String { PluginNames.volumeRestrictions }

    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        let volumes = pod.pod.spec.volumes ?? []
        if volumes.isEmpty { return .skip }
        let needsDiskCheck = volumes.contains(where: Self.needsDiskCheck)
        var claims: Set<String> = []
        for volume in volumes {
            guard let claimName = volume.persistentVolumeClaim?.claimName else { continue }
            guard let claim = snapshot.volumes.claim(namespace: pod.namespace, name: claimName) else {
                return .unresolvable("persistentvolumeclaim \"\(claimName)\" not found")
            }
            if claim.spec.accessModes?.contains("ReadWriteOncePod") == true { claims.insert("\(pod.namespace)/\(claimName)") }
        }
        var conflicting = 0
        if !claims.isEmpty {
            for node in snapshot.nodes {
                for other in node.pods { conflicting += Self.references(other, to: claims) }
            }
        }
        if !needsDiskCheck && conflicting == 0 { return .skip }
        state.write(Self.stateKey, PreFilterState(readWriteOncePodClaims: claims, conflictingReferences: conflicting))
        return .success
    }

    public func addPod(_ state: CycleState, pod: PodInfo, adding: PodInfo, to node: NodeInfo) -> PluginStatus {
        adjust(state, by: 1, for: adding)
    }

    public func removePod(_ state: CycleState, pod: PodInfo, removing: PodInfo, from node: NodeInfo) -> PluginStatus {
        adjust(state, by: -1, for: removing)
    }

    private func adjust(_ state: CycleState, by sign: Int, for other: PodInfo) -> PluginStatus {
        guard var data = state.read(Self.stateKey), !data.readWriteOncePodClaims.isEmpty else { return .success }
        data.conflictingReferences += sign * Self.references(other, to: data.readWriteOncePodClaims)
        state.write(Self.stateKey, data)
        return .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        for volume in pod.pod.spec.volumes ?? [] where Self.needsDiskCheck(volume) {
            for other in node.pods {
                for existing in other.pod.spec.volumes ?? [] where Self.conflict(volume, existing) {
                    return .unschedulable(Self.errReasonDiskConflict)
                }
            }
        }
        if let data = state.read(Self.stateKey), data.conflictingReferences > 0 {
            return .unschedulable(Self.errReasonReadWriteOncePodConflict)
        }
        return .success
    }

    /// How many of `claims` the pod's volumes use (one per volume naming one).
    static func references(_ pod: PodInfo, to claims: Set<String>) -> Int {
        var count = 0
        for volume in pod.pod.spec.volumes ?? [] {
            if let name = volume.persistentVolumeClaim?.claimName, claims.contains("\(pod.namespace)/\(name)") { count += 1 }
        }
        return count
    }

    static func needsDiskCheck(_ volume: CoreV1.Volume) -> Bool {
        volume.gcePersistentDisk != nil || volume.awsElasticBlockStore != nil || volume.rbd != nil || volume.iscsi != nil
    }

    /// upstream's `isVolumeConflict`.
    static func conflict(_ volume: CoreV1.Volume, _ existing: CoreV1.Volume) -> Bool {
        if let disk = volume.gcePersistentDisk, let other = existing.gcePersistentDisk, disk.pdName == other.pdName {
            return !(disk.readOnly == true && other.readOnly == true)
        }
        if let disk = volume.awsElasticBlockStore, let other = existing.awsElasticBlockStore, disk.volumeID == other.volumeID {
            return true
        }
        if let disk = volume.iscsi, let other = existing.iscsi, disk.iqn == other.iqn {
            return !(disk.readOnly == true && other.readOnly == true)
        }
        if let disk = volume.rbd, let other = existing.rbd, !Set(disk.monitors).isDisjoint(with: other.monitors),
           (disk.pool ?? "rbd") == (other.pool ?? "rbd"), disk.image == other.image {
            return !(disk.readOnly == true && other.readOnly == true)
        }
        return false
    }
}

extension PluginNames {
    public static let volumeRestrictions = "VolumeRestrictions"
}
