import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream sync_test.go `TestScale` and the deployment controller's sync, through `reconcile`.
@Suite struct DeploymentSyncTests {
    typealias F = DeploymentTestFixtures

    static let now = Date(timeIntervalSince1970: 1_000_000)

    func controller(_ harness: ControllerTestHarness) -> DeploymentController {
        DeploymentController(context: harness.context, now: { Self.now })
    }

    struct ScaleCase: Sendable, CustomTestStringConvertible {
        var name: String
        var deployment: AppsV1.Deployment
        var oldDeployment: AppsV1.Deployment
        var new: AppsV1.ReplicaSet?
        var old: [AppsV1.ReplicaSet]
        var expectedNew: Int32?
        var expectedOld: [Int32]
        var notUpdated: Set<String> = []
        var desiredAnnotations: [String: Int32] = [:]
        var testDescription: String { name }
    }

    static func rs(_ name: String, _ replicas: Int32, _ created: MetaV1.Time) -> AppsV1.ReplicaSet {
        F.replicaSet(name, replicas: replicas, created: created)
    }

    static let scaleCases: [ScaleCase] = {
        let new = F.newTimestamp, old = F.oldTimestamp, older = F.olderTimestamp
        func d(_ replicas: Int32, surge: IntOrString = .int(0), unavailable: IntOrString = .int(0)) -> AppsV1.Deployment {
            F.deployment(replicas: replicas, maxSurge: surge, maxUnavailable: unavailable)
        }
        var broken = rs("foo-v2", 2, new)
        broken.status.availableReplicas = 0
        var updatedTemplate = d(14)
        updatedTemplate.spec.template.metadata?.labels = ["foo": "bar", "version": "2"]
        return [
            ScaleCase(name: "normal scaling event: 10 -> 12", deployment: d(12), oldDeployment: d(10),
                      new: rs("foo-v1", 10, new), old: [], expectedNew: 12, expectedOld: []),
            ScaleCase(name: "normal scaling event: 10 -> 5", deployment: d(5), oldDeployment: d(10),
                      new: rs("foo-v1", 10, new), old: [], expectedNew: 5, expectedOld: []),
            ScaleCase(name: "proportional scaling: 5 -> 10", deployment: d(10), oldDeployment: d(5),
                      new: rs("foo-v2", 2, new), old: [rs("foo-v1", 3, old)], expectedNew: 4, expectedOld: [6]),
            ScaleCase(name: "proportional scaling: 5 -> 3", deployment: d(3), oldDeployment: d(5),
                      new: rs("foo-v2", 2, new), old: [rs("foo-v1", 3, old)], expectedNew: 1, expectedOld: [2]),
            ScaleCase(name: "proportional scaling: 9 -> 4", deployment: d(4), oldDeployment: d(9),
                      new: rs("foo-v2", 8, new), old: [rs("foo-v1", 1, old)], expectedNew: 4, expectedOld: [0]),
            ScaleCase(name: "proportional scaling: 7 -> 10", deployment: d(10), oldDeployment: d(7),
                      new: rs("foo-v3", 2, new), old: [rs("foo-v2", 3, old), rs("foo-v1", 2, older)],
                      expectedNew: 3, expectedOld: [4, 3]),
            ScaleCase(name: "proportional scaling: 13 -> 8", deployment: d(8), oldDeployment: d(13),
                      new: rs("foo-v3", 2, new), old: [rs("foo-v2", 8, old), rs("foo-v1", 3, older)],
                      expectedNew: 1, expectedOld: [5, 2]),
            ScaleCase(name: "leftover distribution: 3 -> 4", deployment: d(4), oldDeployment: d(3),
                      new: rs("foo-v3", 1, new), old: [rs("foo-v2", 1, old), rs("foo-v1", 1, older)],
                      expectedNew: 2, expectedOld: [1, 1]),
            ScaleCase(name: "leftover distribution: 3 -> 2", deployment: d(2), oldDeployment: d(3),
                      new: rs("foo-v3", 1, new), old: [rs("foo-v2", 1, old), rs("foo-v1", 1, older)],
                      expectedNew: 1, expectedOld: [1, 0]),
            ScaleCase(name: "proportional scaling (no new rs): 4 -> 5", deployment: d(5), oldDeployment: d(4),
                      new: nil, old: [rs("foo-v2", 2, old), rs("foo-v1", 2, older)], expectedNew: nil, expectedOld: [3, 2]),
            ScaleCase(name: "proportional scaling: 6 -> 0", deployment: d(0), oldDeployment: d(6),
                      new: rs("foo-v3", 3, new), old: [rs("foo-v2", 2, old), rs("foo-v1", 1, older)],
                      expectedNew: 0, expectedOld: [0, 0]),
            ScaleCase(name: "proportional scaling: 0 -> 6", deployment: d(6), oldDeployment: d(6),
                      new: rs("foo-v3", 0, new), old: [rs("foo-v2", 0, old), rs("foo-v1", 0, older)],
                      expectedNew: 6, expectedOld: [0, 0], notUpdated: ["foo-v2", "foo-v1"]),
            ScaleCase(name: "failed rs update", deployment: d(5), oldDeployment: d(5),
                      new: rs("foo-v3", 2, new), old: [rs("foo-v2", 1, old), rs("foo-v1", 1, older)],
                      expectedNew: 2, expectedOld: [2, 1], notUpdated: ["foo-v3", "foo-v1"], desiredAnnotations: ["foo-v2": 3]),
            ScaleCase(name: "deployment with surge pods", deployment: d(20, surge: 2), oldDeployment: d(10, surge: 2),
                      new: rs("foo-v2", 6, new), old: [rs("foo-v1", 6, old)], expectedNew: 11, expectedOld: [11]),
            ScaleCase(name: "change both surge and size", deployment: d(50, surge: 6), oldDeployment: d(10, surge: 3),
                      new: rs("foo-v2", 5, new), old: [rs("foo-v1", 8, old)], expectedNew: 22, expectedOld: [34]),
            ScaleCase(name: "change both size and template", deployment: updatedTemplate, oldDeployment: d(10),
                      new: nil, old: [rs("foo-v2", 7, new), rs("foo-v1", 3, old)], expectedNew: nil, expectedOld: [10, 4]),
            ScaleCase(name: "saturated but broken new replica set does not affect old pods",
                      deployment: d(2, surge: 1, unavailable: 1), oldDeployment: d(2, surge: 1, unavailable: 1),
                      new: broken, old: [rs("foo-v1", 1, old)], expectedNew: 2, expectedOld: [1]),
        ]
    }()

    @Test(arguments: scaleCases)
    func scale(_ testCase: ScaleCase) async throws {
        func annotated(_ rs: AppsV1.ReplicaSet) -> AppsV1.ReplicaSet {
            var rs = rs
            let desired = testCase.desiredAnnotations[rs.metadata.name ?? ""] ?? DeploymentUtil.replicas(testCase.oldDeployment)
            _ = DeploymentUtil.setReplicasAnnotations(&rs, desired: desired, max: desired + DeploymentUtil.maxSurge(testCase.oldDeployment))
            return rs
        }
        let new = testCase.new.map(annotated)
        let old = testCase.old.map(annotated)
        let harness = ControllerTestHarness(objects: old + (new.map { [$0] } ?? []))
        try await controller(harness).scale(testCase.deployment, new: new, old: old)
        var sizes: [String: Int32] = [:]
        for rs in old + (new.map { [$0] } ?? []) { sizes[rs.metadata.name ?? ""] = DeploymentUtil.replicas(rs) }
        for (name, size) in F.updatedSizes(harness.client) where !testCase.notUpdated.contains(name) { sizes[name] = size }
        if let new { #expect(sizes[new.metadata.name ?? ""] == testCase.expectedNew) }
        #expect(old.map { sizes[$0.metadata.name ?? ""] ?? -1 } == testCase.expectedOld)
    }

    /// A new deployment gets its ReplicaSet `<name>-<hash>` with the hash label, annotations,
    /// the ScalingReplicaSet event, the revision annotation and the NewReplicaSetCreated condition.
    @Test func aNewDeploymentCreatesItsReplicaSet() async throws {
        var d = F.deployment(replicas: 4, maxSurge: "25%", maxUnavailable: "25%")
        d.metadata.annotations = ["kubernetes.io/change-cause": "first"]
        let harness = ControllerTestHarness(objects: [d])
        harness.cache(d)
        try await controller(harness).reconcile("ns/foo")
        let hash = PodTemplateHash.compute(d.spec.template, collisionCount: nil)
        let rs = try #require(harness.client.object(AppsV1.ReplicaSet.self, namespace: "ns", name: "foo-\(hash)"))
        #expect(rs.spec.replicas == 4)
        #expect(rs.metadata.labels == ["foo": "bar", "pod-template-hash": hash])
        #expect(rs.spec.selector.matchLabels == ["foo": "bar", "pod-template-hash": hash])
        #expect(rs.spec.template?.metadata?.labels == ["foo": "bar", "pod-template-hash": hash])
        #expect(rs.metadata.ownerReferences?.first?.uid == "uid-foo")
        #expect(rs.metadata.annotations == [
            "kubernetes.io/change-cause": "first", DeploymentUtil.revisionAnnotation: "1",
            DeploymentUtil.desiredReplicasAnnotation: "4", DeploymentUtil.maxReplicasAnnotation: "5",
        ])
        #expect(harness.events.events.map(\.description) == ["Normal ScalingReplicaSet Scaled up replica set foo-\(hash) from 0 to 4"])
        let stored = try #require(harness.client.object(AppsV1.Deployment.self, namespace: "ns", name: "foo"))
        #expect(stored.metadata.annotations?[DeploymentUtil.revisionAnnotation] == "1")
        let progressing = try #require(DeploymentConditions.get(stored.status, "Progressing"))
        #expect(progressing.reason == "NewReplicaSetCreated" && progressing.status == "True")
        #expect(progressing.message == "Created new replica set \"foo-\(hash)\"")
    }

    /// A rollout halfway: the new set is sized within maxSurge; once it is, old ones go within maxUnavailable.
    @Test func aTemplateChangeStartsARollingUpdate() async throws {
        let d1 = F.deployment(replicas: 4, maxSurge: .int(1), maxUnavailable: .int(1), image: "app:1")
        let hash1 = PodTemplateHash.compute(d1.spec.template, collisionCount: nil)
        var old = F.replicaSet("foo-\(hash1)", replicas: 4, created: F.oldTimestamp, available: 4, owner: d1)
        old.metadata.labels = ["foo": "bar", "pod-template-hash": hash1]
        old.spec.selector = MetaV1.LabelSelector(matchLabels: old.metadata.labels)
        old.spec.template = d1.spec.template
        old.spec.template?.metadata?.labels = old.metadata.labels
        old.metadata.annotations = [DeploymentUtil.revisionAnnotation: "1", DeploymentUtil.desiredReplicasAnnotation: "4",
                                    DeploymentUtil.maxReplicasAnnotation: "5"]
        old.status.replicas = 4
        var d2 = F.deployment(replicas: 4, maxSurge: .int(1), maxUnavailable: .int(1), image: "app:2")
        d2.metadata.generation = 2
        d2.metadata.annotations = [DeploymentUtil.revisionAnnotation: "1"]
        let harness = ControllerTestHarness(objects: [d2, old])
        harness.cache(d2)
        harness.cache(old)
        try await controller(harness).reconcile("ns/foo")
        let hash2 = PodTemplateHash.compute(d2.spec.template, collisionCount: nil)
        let new = try #require(harness.client.object(AppsV1.ReplicaSet.self, namespace: "ns", name: "foo-\(hash2)"))
        #expect(new.spec.replicas == 1)
        #expect(new.metadata.annotations?[DeploymentUtil.revisionAnnotation] == "2")
        // Made at its size (not a scale-up of reconcileNewReplicaSet), so the old set goes down
        // within maxUnavailable in the same pass: 4 available, 3 must stay.
        #expect(F.updatedSizes(harness.client)["foo-\(hash1)"] == 3)
        let stored = try #require(harness.client.object(AppsV1.Deployment.self, namespace: "ns", name: "foo"))
        #expect(stored.metadata.annotations?[DeploymentUtil.revisionAnnotation] == "2")
        #expect(stored.status.observedGeneration == 2)
        #expect(stored.status.updatedReplicas == nil && stored.status.replicas == 4)
    }

    @Test func aPausedDeploymentScalesButDoesNotRoll() async throws {
        var d = F.deployment(replicas: 6, image: "app:2")
        d.spec.paused = true
        let hash1 = "old"
        var old = F.replicaSet("foo-\(hash1)", replicas: 3, created: F.oldTimestamp, available: 3, owner: d)
        old.metadata.labels = ["foo": "bar", "pod-template-hash": hash1]
        old.spec.template = CoreV1.PodTemplateSpec(metadata: MetaV1.ObjectMeta(labels: old.metadata.labels),
                                                   spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "app:1", name: "app")]))
        old.metadata.annotations = [DeploymentUtil.revisionAnnotation: "1", DeploymentUtil.desiredReplicasAnnotation: "3",
                                    DeploymentUtil.maxReplicasAnnotation: "3"]
        let harness = ControllerTestHarness(objects: [d, old])
        harness.cache(d)
        harness.cache(old)
        try await controller(harness).reconcile("ns/foo")
        #expect(harness.client.objects(AppsV1.ReplicaSet.self).count == 1)
        #expect(F.updatedSizes(harness.client) == ["foo-old": 6])
        let stored = try #require(harness.client.object(AppsV1.Deployment.self, namespace: "ns", name: "foo"))
        let progressing = try #require(DeploymentConditions.get(stored.status, "Progressing"))
        #expect(progressing.reason == "DeploymentPaused" && progressing.status == "Unknown" && progressing.message == "Deployment is paused")
    }

    @Test func resumingReplacesThePausedCondition() async throws {
        var d = F.deployment(replicas: 1)
        d.status.conditions = [DeploymentConditions.make("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")]
        let harness = ControllerTestHarness(objects: [d])
        var copy = d
        try await controller(harness).checkPausedConditions(&copy)
        let condition = try #require(DeploymentConditions.get(copy.status, "Progressing"))
        #expect(condition.reason == "DeploymentResumed" && condition.message == "Deployment is resumed")
    }

    @Test func recreateScalesOldSetsDownBeforeMakingTheNewOne() async throws {
        var d = F.deployment(replicas: 2, image: "app:2")
        d.spec.strategy = AppsV1.DeploymentStrategy(type: "Recreate")
        var old = F.replicaSet("foo-old", replicas: 2, created: F.oldTimestamp, available: 2, owner: d)
        old.metadata.labels = ["foo": "bar"]
        old.spec.template = CoreV1.PodTemplateSpec(metadata: MetaV1.ObjectMeta(labels: ["foo": "bar"]),
                                                   spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "app:1", name: "app")]))
        old.status.replicas = 2
        let harness = ControllerTestHarness(objects: [d, old])
        harness.cache(d)
        harness.cache(old)
        try await controller(harness).reconcile("ns/foo")
        #expect(F.updatedSizes(harness.client) == ["foo-old": 0])
        #expect(harness.client.objects(AppsV1.ReplicaSet.self).count == 1)
        #expect(DeploymentController.oldPodsRunning(new: nil, old: [old], podMap: [:]))
        var gone = old
        gone.status.replicas = 0
        gone.spec.replicas = 0
        var finished = CoreV1.Pod()
        finished.status.phase = "Succeeded"
        #expect(!DeploymentController.oldPodsRunning(new: nil, old: [gone], podMap: ["uid-foo-old": [finished]]))
    }

    /// upstream `TestDeploymentController_cleanupDeployment`-style: beyond the limit, the oldest
    /// empty sets are deleted; sets with replicas never are.
    @Test func cleanupKeepsRevisionHistoryLimitSets() async throws {
        var d = F.deployment(replicas: 1)
        d.spec.revisionHistoryLimit = 1
        func old(_ name: String, revision: String, replicas: Int32) -> AppsV1.ReplicaSet {
            var rs = F.replicaSet(name, replicas: replicas, owner: d)
            rs.metadata.annotations = [DeploymentUtil.revisionAnnotation: revision]
            rs.status.replicas = replicas
            return rs
        }
        let sets = [old("r1", revision: "1", replicas: 0), old("r2", revision: "2", replicas: 1),
                    old("r3", revision: "3", replicas: 0), old("r4", revision: "4", replicas: 0)]
        let harness = ControllerTestHarness(objects: sets)
        try await controller(harness).cleanupDeployment(d, old: sets)
        #expect(harness.client.writes.filter { $0.verb == "delete" }.map(\.name) == ["r1", "r3"])
    }

    @Test func anEmptySelectorOnlyWarns() async throws {
        var d = F.deployment(replicas: 1)
        d.spec.selector = MetaV1.LabelSelector()
        d.metadata.generation = 2
        let harness = ControllerTestHarness(objects: [d])
        harness.cache(d)
        try await controller(harness).reconcile("ns/foo")
        #expect(harness.events.events.map(\.description) == ["Warning SelectingAll This deployment is selecting all pods. A non-empty selector is required."])
        #expect(harness.client.object(AppsV1.Deployment.self, namespace: "ns", name: "foo")?.status.observedGeneration == 2)
    }

    @Test func orphanReplicaSetsAreAdopted() async throws {
        let d = F.deployment(replicas: 1)
        var orphan = F.replicaSet("foo-orphan", replicas: 1)
        orphan.metadata.labels = ["foo": "bar"]
        let harness = ControllerTestHarness(objects: [d, orphan])
        harness.cache(d)
        harness.cache(orphan)
        let claimed = try await controller(harness).claimReplicaSets(d)
        #expect(claimed.map(\.metadata.name) == ["foo-orphan"])
        #expect(harness.client.writes.map(\.description) == ["patch ReplicaSet ns/foo-orphan"])
    }
}
