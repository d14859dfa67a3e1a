import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream rolling_test.go.
@Suite struct DeploymentRollingTests {
    typealias F = DeploymentTestFixtures

    func controller(_ harness: ControllerTestHarness) -> DeploymentController {
        DeploymentController(context: harness.context, now: { Date(timeIntervalSince1970: 1_000_000) })
    }

    /// `TestDeploymentController_reconcileNewReplicaSet`: replicas, maxSurge, old, new, expected new (nil: no scaling).
    @Test(arguments: [
        (Int32(10), Int32(0), Int32(10), Int32(0), Int32?.none),
        (10, 2, 10, 0, 2),
        (10, 2, 5, 0, 7),
        (10, 2, 10, 2, nil),
        (2, 2, 2, 4, 2),
    ] as [(Int32, Int32, Int32, Int32, Int32?)])
    func reconcileNewReplicaSet(_ replicas: Int32, _ maxSurge: Int32, _ oldReplicas: Int32, _ newReplicas: Int32,
                                _ expected: Int32?) async throws {
        let new = F.replicaSet("foo-v2", replicas: newReplicas)
        let old = F.replicaSet("foo-v1", replicas: oldReplicas)
        let d = F.deployment(replicas: replicas, maxSurge: .int(maxSurge), maxUnavailable: .int(0))
        let harness = ControllerTestHarness(objects: [new, old])
        let (scaled, _) = try await controller(harness).reconcileNewReplicaSet(d, all: [new, old], new: new)
        #expect(scaled == (expected != nil))
        #expect(F.updatedSizes(harness.client) == (expected.map { ["foo-v2": $0] } ?? [:]))
    }

    /// `TestDeploymentController_reconcileOldReplicaSets`: replicas, maxUnavailable, old, new,
    /// available old, available new, expected old (nil: no scaling).
    @Test(arguments: [
        (Int32(10), Int32(0), Int32(10), Int32(0), Int32(10), Int32(0), Int32?(9)),
        (10, 2, 10, 0, 10, 0, 8),
        (10, 2, 10, 0, 8, 0, 8),
        (10, 2, 10, 0, 9, 0, 8),
        (10, 2, 8, 2, 8, 0, nil),
    ] as [(Int32, Int32, Int32, Int32, Int32, Int32, Int32?)])
    func reconcileOldReplicaSets(_ replicas: Int32, _ maxUnavailable: Int32, _ oldReplicas: Int32, _ newReplicas: Int32,
                                 _ oldAvailable: Int32, _ newAvailable: Int32, _ expected: Int32?) async throws {
        var new = F.replicaSet("foo-new", replicas: newReplicas, available: newAvailable)
        new.metadata.annotations = [DeploymentUtil.revisionAnnotation: "2"]
        var old = F.replicaSet("foo-old", replicas: oldReplicas, available: oldAvailable)
        old.metadata.annotations = [DeploymentUtil.revisionAnnotation: "1"]
        let d = F.deployment(replicas: replicas, maxSurge: .int(0), maxUnavailable: .int(maxUnavailable), selector: ["foo": "new"])
        let harness = ControllerTestHarness(objects: [new, old])
        let scaled = try await controller(harness).reconcileOldReplicaSets(d, all: [old, new], old: [old], new: new)
        #expect(scaled == (expected != nil))
        #expect(F.updatedSizes(harness.client)["foo-old"] == expected)
    }

    /// `TestDeploymentController_cleanupUnhealthyReplicas`: old, available, max cleanup, expected.
    @Test(arguments: [
        (Int32(10), Int32(8), Int32(1), Int32(1)),
        (10, 8, 3, 2),
        (10, 8, 0, 0),
        (10, 10, 3, 0),
    ])
    func cleanupUnhealthyReplicas(_ oldReplicas: Int32, _ available: Int32, _ maxCleanup: Int32, _ expected: Int32) async throws {
        let old = F.replicaSet("foo-v2", replicas: oldReplicas, available: available)
        let d = F.deployment(replicas: 10, maxSurge: .int(2), maxUnavailable: .int(2))
        let harness = ControllerTestHarness(objects: [old])
        let (_, count) = try await controller(harness).cleanupUnhealthyReplicas(d, old: [old], maxCleanup: maxCleanup)
        #expect(count == expected)
    }

    /// `TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate`: replicas,
    /// maxUnavailable, available, old, expected old (nil: no scaling).
    @Test(arguments: [
        (Int32(10), Int32(0), Int32(10), Int32(10), Int32?(9)),
        (10, 2, 10, 10, 8),
        (10, 2, 8, 10, nil),
        (10, 2, 10, 0, nil),
        (10, 2, 1, 10, nil),
    ] as [(Int32, Int32, Int32, Int32, Int32?)])
    func scaleDownOldReplicaSets(_ replicas: Int32, _ maxUnavailable: Int32, _ available: Int32, _ oldReplicas: Int32,
                                 _ expected: Int32?) async throws {
        let old = F.replicaSet("foo-v2", replicas: oldReplicas, available: available)
        let d = F.deployment(replicas: replicas, maxSurge: .int(0), maxUnavailable: .int(maxUnavailable))
        let harness = ControllerTestHarness(objects: [old])
        let scaled = try await controller(harness).scaleDownOldReplicaSetsForRollingUpdate(d, all: [old], old: [old])
        #expect((scaled != 0) == (expected != nil))
        #expect(F.updatedSizes(harness.client)["foo-v2"] == expected)
        if let expected {
            #expect(harness.events.events.map(\.description) == ["Normal ScalingReplicaSet Scaled down replica set foo-v2 from \(oldReplicas) to \(expected)"])
        }
    }
}
