import KubeComponentHelpers
import KubeModel

/// Keeps pods in the zone and region of their bound volumes (upstream `VolumeZone`): a bound
/// PersistentVolume labelled with a zone or region (values may list several, joined by "__")
/// allows only nodes with one of those values. Nodes without any zone or region label are not
/// constrained; claims of a WaitForFirstConsumer class that are still unbound are left to
/// VolumeBinding.
public struct VolumeZone: PreFilterPlugin, FilterPlugin {
    public static let errReasonConflict = "node(s) had no available volume zone"

    /// The topology labels checked, beta first (upstream's order).
    static let topologyLabels = [
        "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
        "topology.kubernetes.io/zone", "topology.kubernetes.io/region",
    ]

    static let stateKey = CycleState.Key<[Constraint]>(.volumeZonePreFilter)

    /// One volume's topology label and the values it allows.
    struct Constraint: Sendable, Equatable {
        var key: String
        var values: Set<String>
    }

    public init() {}

    public var name: String { PluginNames.volumeZone }

    public func preFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot) -> PluginStatus {
        let claimNames = (pod.pod.spec.volumes ?? []).compactMap { $0.persistentVolumeClaim?.claimName }
        if claimNames.isEmpty { return .skip }
        var constraints: [Constraint] = []
        for claimName in claimNames {
            if claimName.isEmpty { return .unresolvable("PersistentVolumeClaim had no name") }
            guard let claim = snapshot.volumes.claim(namespace: pod.namespace, name: claimName) else {
                return .unresolvable("persistentvolumeclaim \"\(claimName)\" not found")
            }
            let volumeName = claim.spec.volumeName ?? ""
            if volumeName.isEmpty {
                let className = claim.storageClass
                if className.isEmpty { return .unresolvable("PersistentVolumeClaim had no pv name and storageClass name") }
                guard let storageClass = snapshot.volumes.storageClass(named: className) else {
                    return .unresolvable("storageclass.storage.k8s.io \"\(className)\" not found")
                }
                if storageClass.volumeBindingMode == VolumeAnnotations.waitForFirstConsumer { continue }
                return .unresolvable("PersistentVolume had no name")
            }
            guard let volume = snapshot.volumes.volume(named: volumeName) else {
                return .unresolvable("persistentvolume \"\(volumeName)\" not found")
            }
            let labels = volume.metadata.labels ?? [:]
            for key in Self.topologyLabels {
                guard let value = labels[key] else { continue }
                constraints.append(Constraint(key: key, values: Set(value.components(separatedBy: "__").map { $0.trimmingSpaces })))
            }
        }
        if constraints.isEmpty { return .skip }
        state.write(Self.stateKey, constraints)
        return .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> PluginStatus {
        guard let constraints = state.read(Self.stateKey), !constraints.isEmpty else { return .success }
        let labels = node.labels
        guard Self.topologyLabels.contains(where: { labels[$0] != nil }) else { return .success }
        for constraint in constraints {
            let value = labels[constraint.key] ?? labels[Self.generalAvailability(constraint.key)]
            guard let value, constraint.values.contains(value) else { return .unresolvable(Self.errReasonConflict) }
        }
        return .success
    }

    /// The GA label for a beta one (a PV with a beta label matches a node with the GA label).
    static func generalAvailability(_ key: String) -> String {
        switch key {
        case "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone"
        case "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region"
        default: key
        }
    }
}

extension PluginNames {
    public static let volumeZone = "VolumeZone"
}

extension String {
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
