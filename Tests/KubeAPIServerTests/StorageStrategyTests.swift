import KubeModel
import Testing
@testable import KubeAPIServer

/// PersistentVolume, PersistentVolumeClaim and StorageClass defaults and validation, from
/// upstream's pkg/apis/core/validation (`TestValidatePersistentVolumes`,
/// `TestValidatePersistentVolumeClaimUpdate`) and pkg/apis/core/v1 defaults.
@Suite struct StorageStrategyTests {
    static func volume(_ configure: (inout CoreV1.PersistentVolume) -> Void) -> CoreV1.PersistentVolume {
        var volume = CoreV1.PersistentVolume(metadata: MetaV1.ObjectMeta(name: "pv"))
        volume.spec.capacity = ["storage": "1Gi"]
        volume.spec.accessModes = ["ReadWriteOnce"]
        volume.spec.hostPath = CoreV1.HostPathVolumeSource(path: "/srv")
        configure(&volume)
        return volume
    }

    static let volumeCases: [(String, @Sendable (inout CoreV1.PersistentVolume) -> Void, String)] = [
        ("no access modes", { $0.spec.accessModes = [] }, "spec.accessModes: Required value"),
        ("no capacity", { $0.spec.capacity = nil }, "spec.capacity: Required value"),
        ("capacity other than storage", { $0.spec.capacity = ["storage": "1Gi", "cpu": "1"] },
         "spec.capacity: Unsupported value: \"cpu\": supported values: \"storage\""),
        ("local without node affinity", { $0.spec.hostPath = nil; $0.spec.local = CoreV1.LocalVolumeSource(path: "/mnt") },
         "spec.nodeAffinity: Required value: Local volume requires node affinity"),
        ("ReadWriteOncePod with another mode", { $0.spec.accessModes = ["ReadWriteOncePod", "ReadWriteOnce"] },
         "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"),
        ("unknown reclaim policy", { $0.spec.persistentVolumeReclaimPolicy = "Keep" },
         "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\""),
    ]

    @Test(arguments: volumeCases.indices)
    func volumeValidation(_ index: Int) {
        let (_, configure, expected) = Self.volumeCases[index]
        let rendered = PersistentVolumeStrategy().validate(Self.volume(configure)).map { "\($0.field): \($0.message)" }
        #expect(rendered.contains { $0.hasPrefix(expected) }, "\(rendered)")
    }

    @Test func volumesDefaultToRetainFilesystemAndStartPending() {
        var volume = Self.volume { $0.status.phase = "Bound" }
        let strategy = PersistentVolumeStrategy()
        strategy.applyDefaults(&volume)
        strategy.prepareForCreate(&volume)
        #expect(volume.spec.persistentVolumeReclaimPolicy == "Retain" && volume.spec.volumeMode == "Filesystem")
        #expect(volume.status.phase == "Pending")
        #expect(strategy.validate(volume).isEmpty)
    }

    static func claim(phase: String = "Pending") -> CoreV1.PersistentVolumeClaim {
        var claim = CoreV1.PersistentVolumeClaim(metadata: MetaV1.ObjectMeta(name: "data", namespace: "ns"))
        claim.spec.accessModes = ["ReadWriteOnce"]
        claim.spec.resources = CoreV1.VolumeResourceRequirements(requests: ["storage": "1Gi"])
        claim.status.phase = phase
        return claim
    }

    @Test func claimsNeedAccessModesAndAStorageRequest() {
        var claim = Self.claim()
        claim.spec.accessModes = nil
        claim.spec.resources = nil
        let rendered = PersistentVolumeClaimStrategy().validate(claim).map { "\($0.field): \($0.message)" }
        #expect(rendered == ["spec.accessModes: Required value: at least 1 access mode is required",
                             "spec.resources[storage]: Required value"])
    }

    @Test func claimUpdatesMaySetTheVolumeOnceAndGrowOnlyWhenBound() {
        let strategy = PersistentVolumeClaimStrategy()
        let old = Self.claim()
        var named = old
        named.spec.volumeName = "pv"
        #expect(strategy.validateUpdate(named, old: old).isEmpty)
        var renamed = named
        renamed.spec.volumeName = "other"
        let immutable = "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
        #expect(strategy.validateUpdate(renamed, old: named).map(\.message) == [immutable])
        var grown = old
        grown.spec.resources?.requests?["storage"] = "2Gi"
        #expect(strategy.validateUpdate(grown, old: old).map(\.message) == [immutable])
        #expect(strategy.validateUpdate(grown, old: Self.claim(phase: "Bound")).isEmpty)
    }

    @Test func storageClassesDefaultToDeleteAndImmediate() {
        var storageClass = StorageV1.StorageClass(metadata: MetaV1.ObjectMeta(name: "standard"), provisioner: "example.com/csi")
        StorageClassStrategy().applyDefaults(&storageClass)
        #expect(storageClass.reclaimPolicy == "Delete" && storageClass.volumeBindingMode == "Immediate")
        storageClass.provisioner = ""
        #expect(StorageClassStrategy().validate(storageClass).map(\.field) == ["provisioner"])
    }
}
