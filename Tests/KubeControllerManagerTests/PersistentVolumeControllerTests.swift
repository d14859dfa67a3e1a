import KubeClient
import KubeComponentHelpers
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream pv_controller binder_test.go / provision_test.go / delete_test.go cases: which
/// volume an Immediate claim binds, what waits for the scheduler, what the claim's deletion
/// does to its volume.
struct PersistentVolumeControllerTests {
    static func claim(_ name: String, size: String = "1Gi", className: String? = "", modes: [String] = ["ReadWriteOnce"],
                      volume: String? = nil, annotations: [String: String]? = nil) -> CoreV1.PersistentVolumeClaim {
        var claim = CoreV1.PersistentVolumeClaim()
        claim.metadata = MetaV1.ObjectMeta(annotations: annotations, name: name, namespace: "ns", resourceVersion: "1", uid: "uid-\(name)")
        claim.spec.storageClassName = className
        claim.spec.accessModes = modes
        claim.spec.volumeName = volume
        claim.spec.resources = CoreV1.VolumeResourceRequirements(requests: ["storage": Quantity(stringLiteral: size)])
        claim.status.phase = "Pending"
        return claim
    }

    static func volume(_ name: String, size: String = "1Gi", className: String = "", modes: [String] = ["ReadWriteOnce"],
                       claimRef: CoreV1.PersistentVolumeClaim? = nil, phase: String = "Available",
                       policy: String = "Retain") -> CoreV1.PersistentVolume {
        var volume = CoreV1.PersistentVolume()
        volume.metadata = MetaV1.ObjectMeta(name: name, resourceVersion: "1")
        volume.spec.storageClassName = className
        volume.spec.capacity = ["storage": Quantity(stringLiteral: size)]
        volume.spec.accessModes = modes
        volume.spec.persistentVolumeReclaimPolicy = policy
        volume.spec.local = CoreV1.LocalVolumeSource(path: "/mnt/\(name)")
        if let claimRef { volume.spec.claimRef = CoreV1.PersistentVolume.claimReference(to: claimRef) }
        volume.status.phase = phase
        return volume
    }

    static func storageClass(_ name: String, provisioner: String = VolumeAnnotations.noProvisioner,
                             mode: String = "Immediate", isDefault: Bool = false) -> StorageV1.StorageClass {
        var storageClass = StorageV1.StorageClass(metadata: MetaV1.ObjectMeta(name: name), provisioner: provisioner)
        storageClass.volumeBindingMode = mode
        if isDefault { storageClass.metadata.annotations = [VolumeAnnotations.isDefaultClass: "true"] }
        return storageClass
    }

    /// A controller over these objects (cached and stored).
    static func harness(claims: [CoreV1.PersistentVolumeClaim] = [], volumes: [CoreV1.PersistentVolume] = [],
                        classes: [StorageV1.StorageClass] = []) -> (ControllerTestHarness, PersistentVolumeController) {
        let harness = ControllerTestHarness(objects: claims + volumes + classes)
        let controller = PersistentVolumeController(context: harness.context)
        for claim in claims { harness.cache(claim) }
        for volume in volumes { harness.cache(volume) }
        for storageClass in classes { harness.cache(storageClass) }
        return (harness, controller)
    }

    @Test func anImmediateClaimBindsTheSmallestVolumeWithTheFewestExtraModes() async throws {
        let volumes = [Self.volume("big", size: "10Gi"), Self.volume("small", size: "2Gi"),
                       Self.volume("smallest-rwx", size: "1Gi", modes: ["ReadWriteOnce", "ReadWriteMany"]),
                       Self.volume("tiny", size: "500Mi")]
        let (harness, controller) = Self.harness(claims: [Self.claim("data", size: "1Gi")], volumes: volumes)
        try await controller.reconcile("claim:ns/data")
        let volume = try #require(harness.client.object(CoreV1.PersistentVolume.self, name: "small"))
        #expect(volume.spec.claimRef?.name == "data" && volume.spec.claimRef?.namespace == "ns" && volume.spec.claimRef?.uid == "uid-data")
        #expect(volume.metadata.annotations?[VolumeAnnotations.boundByController] == "yes")
        #expect(volume.status.phase == "Bound")
        let claim = try #require(harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "ns", name: "data"))
        #expect(claim.spec.volumeName == "small")
        #expect(claim.metadata.annotations?[VolumeAnnotations.bindCompleted] == "yes")
        #expect(claim.metadata.annotations?[VolumeAnnotations.boundByController] == "yes")
        #expect(claim.status.phase == "Bound")
        #expect(claim.status.capacity?["storage"] == Quantity(stringLiteral: "2Gi"))
        #expect(claim.status.accessModes == ["ReadWriteOnce"])
    }

    @Test func aWaitForFirstConsumerClaimWaitsForTheScheduler() async throws {
        let (harness, controller) = Self.harness(
            claims: [Self.claim("data", className: "local")], volumes: [Self.volume("pv", className: "local")],
            classes: [Self.storageClass("local", mode: VolumeAnnotations.waitForFirstConsumer)])
        try await controller.reconcile("claim:ns/data")
        #expect(harness.client.writes.isEmpty)
        #expect(harness.events.events.map(\.description) == ["Normal WaitForFirstConsumer waiting for first consumer to be created before binding"])
    }

    @Test func aVolumeTheSchedulerPreBoundIsBound() async throws {
        let claim = Self.claim("data", className: "local")
        var volume = Self.volume("pv", className: "local", claimRef: claim, phase: "Available")
        volume.metadata.annotations = [VolumeAnnotations.boundByController: "yes"]
        let (harness, controller) = Self.harness(
            claims: [claim], volumes: [volume], classes: [Self.storageClass("local", mode: VolumeAnnotations.waitForFirstConsumer)])
        try await controller.reconcile("claim:ns/data")
        let bound = try #require(harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "ns", name: "data"))
        #expect(bound.spec.volumeName == "pv" && bound.status.phase == "Bound")
        #expect(harness.client.object(CoreV1.PersistentVolume.self, name: "pv")?.status.phase == "Bound")
    }

    @Test func aClaimWithoutClassOrVolumeIsPending() async throws {
        let (harness, controller) = Self.harness(claims: [Self.claim("data", size: "5Gi")], volumes: [Self.volume("small")])
        try await controller.reconcile("claim:ns/data")
        #expect(harness.events.events.map(\.description)
                    == ["Normal FailedBinding no persistent volumes available for this claim and no storage class is set"])
        #expect(harness.client.writes.isEmpty)
    }

    @Test func aClaimWithNoClassGetsTheDefaultClass() async throws {
        let (harness, controller) = Self.harness(
            claims: [Self.claim("data", className: nil)],
            classes: [Self.storageClass("standard", isDefault: true), Self.storageClass("other")])
        try await controller.reconcile("claim:ns/data")
        #expect(harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "ns", name: "data")?.spec.storageClassName == "standard")
    }

    @Test func anExternalProvisionerIsNamedOnTheClaim() async throws {
        let (harness, controller) = Self.harness(
            claims: [Self.claim("data", className: "csi", annotations: [VolumeAnnotations.selectedNode: "node-1"])],
            classes: [Self.storageClass("csi", provisioner: "example.com/csi", mode: VolumeAnnotations.waitForFirstConsumer)])
        try await controller.reconcile("claim:ns/data")
        let claim = try #require(harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "ns", name: "data"))
        #expect(claim.metadata.annotations?[VolumeAnnotations.storageProvisioner] == "example.com/csi")
        #expect(claim.metadata.annotations?[VolumeAnnotations.betaStorageProvisioner] == "example.com/csi")
        #expect(harness.events.events.map(\.reason) == ["ExternalProvisioning"])
    }

    @Test func aUserPreBoundClaimToATooSmallVolumeIsAMismatch() async throws {
        let (harness, controller) = Self.harness(
            claims: [Self.claim("data", size: "5Gi", volume: "small")], volumes: [Self.volume("small", size: "1Gi")])
        try await controller.reconcile("claim:ns/data")
        #expect(harness.events.events.map(\.description)
                    == ["Warning VolumeMismatch Cannot bind to requested volume \"small\": requested PV is too small"])
    }

    struct ReclaimCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var policy: String
        var phase: String
        var event: String?
    }

    @Test(arguments: [
        ReclaimCase(testDescription: "Retain keeps the volume Released", policy: "Retain", phase: "Released", event: nil),
        ReclaimCase(testDescription: "Delete fails for a local volume", policy: "Delete", phase: "Failed",
                    event: "Warning VolumeFailedDelete error getting deleter volume plugin for volume \"pv\": no deletable volume plugin matched"),
        ReclaimCase(testDescription: "Recycle has no recycler", policy: "Recycle", phase: "Failed",
                    event: "Warning VolumeFailedRecycle No recycler plugin found for the volume!"),
    ])
    func aVolumeWhoseClaimIsGoneIsReleasedThenReclaimed(_ testCase: ReclaimCase) async throws {
        let gone = Self.claim("data")
        let (harness, controller) = Self.harness(volumes: [Self.volume("pv", claimRef: gone, phase: "Bound", policy: testCase.policy)])
        try await controller.reconcile("volume:pv")
        let volume = try #require(harness.client.object(CoreV1.PersistentVolume.self, name: "pv"))
        #expect(volume.status.phase == testCase.phase)
        #expect(volume.spec.claimRef?.uid == "uid-data")
        #expect(harness.events.events.map(\.description) == (testCase.event.map { [$0] } ?? []))
    }

    @Test func aFreeVolumeBecomesAvailable() async throws {
        let (harness, controller) = Self.harness(volumes: [Self.volume("pv", phase: "Pending")])
        try await controller.reconcile("volume:pv")
        #expect(harness.client.object(CoreV1.PersistentVolume.self, name: "pv")?.status.phase == "Available")
    }
}
