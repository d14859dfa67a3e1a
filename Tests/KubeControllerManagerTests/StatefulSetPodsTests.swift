import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

/// Cases from upstream's stateful_set_utils_test.go: names and ordinals, identity, storage,
/// versioned pods, and claim owner references under each retention policy.
@Suite struct StatefulSetPodsTests {
    struct NameCase: Sendable, CustomTestStringConvertible {
        var name: String
        var parent: String
        var ordinal: Int
        var testDescription: String { name }
    }

    @Test(arguments: [
        NameCase(name: "web-0", parent: "web", ordinal: 0),
        NameCase(name: "my-web-12", parent: "my-web", ordinal: 12),
        NameCase(name: "web", parent: "", ordinal: -1),
        NameCase(name: "1-bar", parent: "", ordinal: -1),
        NameCase(name: "web-x", parent: "", ordinal: -1),
    ])
    func parentAndOrdinalFromTheName(_ testCase: NameCase) {
        let (parent, ordinal) = StatefulSetPods.parentAndOrdinal(testCase.name)
        #expect(parent == testCase.parent)
        #expect(ordinal == testCase.ordinal)
    }

    @Test func newPodsHaveMatchingIdentityAndStorage() {
        let set = StatefulSetTestCluster.set(replicas: 3, claims: ["datadir", "logs"])
        for ordinal in 0..<3 {
            let pod = StatefulSetPods.newPod(set, ordinal: ordinal)
            #expect(pod.metadata.name == "web-\(ordinal)")
            #expect(StatefulSetPods.isMember(pod, of: set))
            #expect(StatefulSetPods.identityMatches(set, pod))
            #expect(StatefulSetPods.storageMatches(set, pod))
            #expect(pod.spec.volumes?.compactMap(\.persistentVolumeClaim?.claimName) == ["datadir-web-\(ordinal)", "logs-web-\(ordinal)"])
        }
    }

    @Test func identityMismatches() {
        let set = StatefulSetTestCluster.set(replicas: 1)
        var pod = StatefulSetPods.newPod(set, ordinal: 0)
        pod.metadata.labels?["statefulset.kubernetes.io/pod-name"] = "other"
        #expect(!StatefulSetPods.identityMatches(set, pod))
        pod = StatefulSetPods.newPod(set, ordinal: 0)
        pod.metadata.namespace = "elsewhere"
        #expect(!StatefulSetPods.identityMatches(set, pod))
        pod = StatefulSetPods.newPod(set, ordinal: 0)
        pod.metadata.name = "web-0-x"
        #expect(!StatefulSetPods.identityMatches(set, pod))
        var fixed = StatefulSetPods.newPod(set, ordinal: 0)
        fixed.metadata.labels = ["app": "web"]
        StatefulSetPods.updateIdentity(set, &fixed)
        #expect(StatefulSetPods.identityMatches(set, fixed))
    }

    @Test func storageMismatchIsRepaired() {
        let set = StatefulSetTestCluster.set(replicas: 1, claims: ["datadir"])
        var pod = StatefulSetPods.newPod(set, ordinal: 0)
        var volume = CoreV1.Volume(name: "datadir")
        volume.emptyDir = CoreV1.EmptyDirVolumeSource()
        var other = CoreV1.Volume(name: "config")
        other.emptyDir = CoreV1.EmptyDirVolumeSource()
        pod.spec.volumes = [volume, other]
        #expect(!StatefulSetPods.storageMatches(set, pod))
        StatefulSetPods.updateStorage(set, &pod)
        #expect(StatefulSetPods.storageMatches(set, pod))
        #expect(pod.spec.volumes?.map(\.name) == ["datadir", "config"])
    }

    @Test func claimsCarryTheSelectorLabels() {
        var set = StatefulSetTestCluster.set(replicas: 1, claims: ["datadir"])
        set.spec.volumeClaimTemplates?[0].metadata.labels = ["tier": "db"]
        let claims = StatefulSetPods.claims(set, ordinal: 4)
        #expect(claims.map(\.claim.metadata.name) == ["datadir-web-4"])
        #expect(claims.first?.claim.metadata.labels == ["tier": "db", "app": "web"])
        #expect(claims.first?.claim.metadata.namespace == "default")
    }

    @Test(arguments: [(0, "current"), (1, "current"), (2, "update"), (3, "update")])
    func versionedPodsFollowThePartition(_ ordinal: Int, _ expected: String) {
        let current = StatefulSetTestCluster.set(replicas: 4, partition: 2)
        let update = StatefulSetTestCluster.set(replicas: 4, image: "app:2", partition: 2)
        let pod = StatefulSetPods.newVersionedPod(current: current, update: update, currentRevision: "current",
                                                  updateRevision: "update", ordinal: ordinal)
        #expect(StatefulSetPods.revision(of: pod) == expected)
        #expect(pod.spec.containers.first?.image == (expected == "current" ? "app:1" : "app:2"))
    }

    @Test func healthAndAvailability() {
        let set = StatefulSetTestCluster.set(replicas: 1)
        var pod = StatefulSetPods.newPod(set, ordinal: 0)
        #expect(!StatefulSetPods.isCreated(pod))
        pod.status.phase = "Pending"
        #expect(StatefulSetPods.isCreated(pod) && StatefulSetPods.isPending(pod))
        pod.status.phase = "Running"
        pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: MetaV1.Time(Date().addingTimeInterval(-5)), status: "True", type: "Ready")]
        #expect(StatefulSetPods.isHealthy(pod))
        #expect(StatefulSetPods.isRunningAndAvailable(pod, minReadySeconds: 2, now: Date()))
        #expect(!StatefulSetPods.isRunningAndAvailable(pod, minReadySeconds: 60, now: Date()))
        pod.metadata.deletionTimestamp = .now()
        #expect(!StatefulSetPods.isHealthy(pod))
    }

    struct RetentionCase: Sendable, CustomTestStringConvertible {
        var whenDeleted: String
        var whenScaled: String
        var scaledDown: Bool
        var owners: [String]
        var testDescription: String { "whenDeleted \(whenDeleted), whenScaled \(whenScaled), scaled down \(scaledDown)" }
    }

    // upstream's TestClaimOwnerUpToDate / TestUpdateClaimOwnerRefForSetAndPod expectations.
    static let retentionCases: [RetentionCase] = [
        RetentionCase(whenDeleted: "Retain", whenScaled: "Retain", scaledDown: false, owners: []),
        RetentionCase(whenDeleted: "Retain", whenScaled: "Retain", scaledDown: true, owners: []),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Retain", scaledDown: false, owners: ["StatefulSet"]),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Retain", scaledDown: true, owners: ["StatefulSet"]),
        RetentionCase(whenDeleted: "Retain", whenScaled: "Delete", scaledDown: false, owners: []),
        RetentionCase(whenDeleted: "Retain", whenScaled: "Delete", scaledDown: true, owners: ["Pod"]),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Delete", scaledDown: false, owners: ["StatefulSet"]),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Delete", scaledDown: true, owners: ["Pod"]),
    ]

    @Test(arguments: retentionCases)
    func claimOwnersFollowTheRetentionPolicy(_ testCase: RetentionCase) {
        let set = StatefulSetTestCluster.set(replicas: 2, claims: ["datadir"],
                                             retention: (testCase.whenDeleted, testCase.whenScaled))
        var pod = StatefulSetPods.newPod(set, ordinal: testCase.scaledDown ? 3 : 1)
        pod.metadata.uid = "pod-uid"
        var claim = StatefulSetPods.claims(set, ordinal: StatefulSetPods.ordinal(pod))[0].claim
        #expect(StatefulSetClaimRetention.isUpToDate(claim, set: set, pod: pod) == testCase.owners.isEmpty)
        StatefulSetClaimRetention.updateReferences(&claim, set: set, pod: pod)
        #expect((claim.metadata.ownerReferences ?? []).map(\.kind) == testCase.owners)
        #expect((claim.metadata.ownerReferences ?? []).allSatisfy { $0.controller == true })
        #expect(StatefulSetClaimRetention.isUpToDate(claim, set: set, pod: pod))
    }

    @Test func staleReferencesAreLeftAlone() {
        let set = StatefulSetTestCluster.set(replicas: 2, claims: ["datadir"], retention: ("Delete", "Delete"))
        var pod = StatefulSetPods.newPod(set, ordinal: 0)
        pod.metadata.uid = "pod-uid"
        var claim = StatefulSetPods.claims(set, ordinal: 0)[0].claim
        var stale = OwnerReferences.controllerReference(to: set)
        stale.uid = "an-earlier-set"
        claim.metadata.ownerReferences = [stale]
        #expect(StatefulSetClaimRetention.isUpToDate(claim, set: set, pod: pod))
    }

    @Test func anotherControllerBlocksOurReferences() {
        let set = StatefulSetTestCluster.set(replicas: 2, claims: ["datadir"], retention: ("Delete", "Retain"))
        var pod = StatefulSetPods.newPod(set, ordinal: 0)
        pod.metadata.uid = "pod-uid"
        var claim = StatefulSetPods.claims(set, ordinal: 0)[0].claim
        claim.metadata.ownerReferences = [MetaV1.OwnerReference(apiVersion: "v1", controller: true, kind: "Other", name: "x", uid: "other")]
        #expect(StatefulSetClaimRetention.isUpToDate(claim, set: set, pod: pod))
        StatefulSetClaimRetention.updateReferences(&claim, set: set, pod: pod)
        #expect(claim.metadata.ownerReferences?.map(\.kind) == ["Other"])
    }
}
