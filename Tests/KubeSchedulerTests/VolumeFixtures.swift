import KubeComponentHelpers
import KubeModel
@testable import KubeScheduler

/// Claims, volumes and classes for the volume plugin tests (upstream's `makePVC`/`makePV`).
enum VolumeFixtures {
    static func claim(_ name: String, size: String = "1Gi", className: String? = "local", volume: String? = nil,
                      bound: Bool = false, modes: [String] = ["ReadWriteOnce"], annotations: [String: String] = [:]) -> CoreV1.PersistentVolumeClaim {
        var claim = CoreV1.PersistentVolumeClaim()
        claim.metadata.name = name
        claim.metadata.namespace = "default"
        claim.metadata.uid = "uid-\(name)"
        claim.metadata.resourceVersion = "1"
        var merged = annotations
        if bound { merged[VolumeAnnotations.bindCompleted] = "yes" }
        claim.metadata.annotations = merged.isEmpty ? nil : merged
        claim.spec.storageClassName = className
        claim.spec.accessModes = modes
        claim.spec.volumeName = volume
        claim.spec.resources = CoreV1.VolumeResourceRequirements(requests: ["storage": Quantity(stringLiteral: size)])
        claim.status.phase = bound ? "Bound" : "Pending"
        return claim
    }

    /// A local volume pinned to `node` by `kubernetes.io/hostname` (nil: no node affinity).
    static func volume(_ name: String, size: String = "1Gi", className: String = "local", node: String? = nil,
                       claim: CoreV1.PersistentVolumeClaim? = nil, phase: String = "Available", modes: [String] = ["ReadWriteOnce"],
                       labels: [String: String]? = nil) -> CoreV1.PersistentVolume {
        var volume = CoreV1.PersistentVolume()
        volume.metadata.name = name
        volume.metadata.resourceVersion = "1"
        volume.metadata.labels = labels
        volume.spec.storageClassName = className
        volume.spec.capacity = ["storage": Quantity(stringLiteral: size)]
        volume.spec.accessModes = modes
        volume.spec.local = CoreV1.LocalVolumeSource(path: "/mnt/\(name)")
        if let node {
            volume.spec.nodeAffinity = CoreV1.VolumeNodeAffinity(required: CoreV1.NodeSelector(nodeSelectorTerms: [
                CoreV1.NodeSelectorTerm(matchExpressions: [requirement("kubernetes.io/hostname", "In", [node])]),
            ]))
        }
        if let claim { volume.spec.claimRef = CoreV1.PersistentVolume.claimReference(to: claim) }
        volume.status.phase = claim == nil ? phase : "Bound"
        return volume
    }

    static func storageClass(_ name: String = "local", provisioner: String = VolumeAnnotations.noProvisioner,
                             mode: String = VolumeAnnotations.waitForFirstConsumer,
                             allowedZones: [String]? = nil) -> StorageV1.StorageClass {
        var storageClass = StorageV1.StorageClass(metadata: MetaV1.ObjectMeta(name: name), provisioner: provisioner)
        storageClass.volumeBindingMode = mode
        if let allowedZones {
            storageClass.allowedTopologies = [CoreV1.TopologySelectorTerm(matchLabelExpressions: [
                CoreV1.TopologySelectorLabelRequirement(key: "topology.kubernetes.io/zone", values: allowedZones),
            ])]
        }
        return storageClass
    }

    static func node(_ name: String, zone: String? = nil) -> CoreV1.Node {
        var labels = ["kubernetes.io/hostname": name]
        if let zone { labels["topology.kubernetes.io/zone"] = zone }
        return NodeBuilder(name).labels(labels).allocatable(["cpu": "4", "memory": "8Gi", "pods": "110"]).node
    }

    static func pod(_ name: String = "p", claims: [String], node: String? = nil) -> CoreV1.Pod {
        var builder = PodBuilder(name).with { pod in
            pod.spec.volumes = claims.map { claim in
                CoreV1.Volume(name: "v-\(claim)", persistentVolumeClaim: CoreV1.PersistentVolumeClaimVolumeSource(claimName: claim))
            }
        }
        if let node { builder = builder.node(node) }
        return builder.pod
    }

    static func snapshot(_ nodes: [CoreV1.Node], pods: [CoreV1.Pod] = [], claims: [CoreV1.PersistentVolumeClaim] = [],
                         volumes: [CoreV1.PersistentVolume] = [], classes: [StorageV1.StorageClass] = []) -> ClusterSnapshot {
        var snap = KubeSchedulerTests.snapshot(nodes, pods: pods)
        snap.volumes = InMemoryVolumeCatalog(claims: claims, volumes: volumes, classes: classes)
        return snap
    }
}
