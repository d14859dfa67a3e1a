import KubeClient
import KubeComponentHelpers
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream pvc_protection_controller_test.go / pv_protection_controller_test.go cases.
struct StorageProtectionControllerTests {
    static func claim(deleting: Bool, finalizer: Bool = true) -> CoreV1.PersistentVolumeClaim {
        var claim = PersistentVolumeControllerTests.claim("data")
        claim.metadata.finalizers = finalizer ? [StorageProtection.claimFinalizer] : nil
        if deleting { claim.metadata.deletionTimestamp = .now() }
        return claim
    }

    static func pod(node: String?, phase: String = "Running", claim: String = "data") -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata = MetaV1.ObjectMeta(name: "user", namespace: "ns")
        pod.spec.nodeName = node
        pod.spec.volumes = [CoreV1.Volume(name: "v", persistentVolumeClaim: CoreV1.PersistentVolumeClaimVolumeSource(claimName: claim))]
        pod.status.phase = phase
        return pod
    }

    struct ClaimCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var claim: CoreV1.PersistentVolumeClaim
        var pods: [CoreV1.Pod] = []
        /// The finalizers after the sync.
        var finalizers: [String]?
    }

    @Test(arguments: [
        ClaimCase(testDescription: "a new claim gets the finalizer", claim: claim(deleting: false, finalizer: false),
                  finalizers: [StorageProtection.claimFinalizer]),
        ClaimCase(testDescription: "a deleted claim no pod uses loses it", claim: claim(deleting: true), finalizers: nil),
        ClaimCase(testDescription: "a running pod keeps the claim", claim: claim(deleting: true), pods: [pod(node: "n1")],
                  finalizers: [StorageProtection.claimFinalizer]),
        ClaimCase(testDescription: "an unscheduled pod does not", claim: claim(deleting: true), pods: [pod(node: nil)], finalizers: nil),
        ClaimCase(testDescription: "a finished pod does not", claim: claim(deleting: true), pods: [pod(node: "n1", phase: "Succeeded")],
                  finalizers: nil),
        ClaimCase(testDescription: "a pod using another claim does not", claim: claim(deleting: true),
                  pods: [pod(node: "n1", claim: "other")], finalizers: nil),
    ])
    func claimProtection(_ testCase: ClaimCase) async throws {
        let harness = ControllerTestHarness(objects: [testCase.claim])
        let controller = PVCProtectionController(context: harness.context)
        harness.cache(testCase.claim)
        for pod in testCase.pods { harness.cache(pod) }
        try await controller.reconcile("ns/data")
        let stored = try #require(harness.client.object(CoreV1.PersistentVolumeClaim.self, namespace: "ns", name: "data"))
        #expect(stored.metadata.finalizers == testCase.finalizers)
    }

    @Test(arguments: [("Bound", true), ("Released", false), ("Available", false)])
    func aDeletedVolumeKeepsItsFinalizerOnlyWhileBound(_ phase: String, _ kept: Bool) async throws {
        var volume = PersistentVolumeControllerTests.volume("pv", phase: phase)
        volume.metadata.finalizers = [StorageProtection.volumeFinalizer]
        volume.metadata.deletionTimestamp = .now()
        let harness = ControllerTestHarness(objects: [volume])
        let controller = PVProtectionController(context: harness.context)
        harness.cache(volume)
        try await controller.reconcile("pv")
        let stored = try #require(harness.client.object(CoreV1.PersistentVolume.self, name: "pv"))
        #expect(stored.metadata.finalizers == (kept ? [StorageProtection.volumeFinalizer] : nil))
    }
}
