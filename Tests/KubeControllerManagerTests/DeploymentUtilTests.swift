import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream deployment_util_test.go.
@Suite struct DeploymentUtilTests {
    static func deployment(replicas: Int32, maxSurge: IntOrString? = .int(0), maxUnavailable: IntOrString? = .int(0),
                           type: String = "RollingUpdate") -> AppsV1.Deployment {
        var d = AppsV1.Deployment()
        d.metadata.name = "foo"
        d.metadata.namespace = "ns"
        d.spec.replicas = replicas
        d.spec.strategy = AppsV1.DeploymentStrategy(
            rollingUpdate: type == "RollingUpdate" ? AppsV1.RollingUpdateDeployment(maxSurge: maxSurge, maxUnavailable: maxUnavailable) : nil,
            type: type)
        return d
    }

    struct FencepostCase: Sendable, CustomTestStringConvertible {
        var maxSurge: IntOrString?
        var maxUnavailable: IntOrString?
        var desired: Int32
        var surge: Int32
        var unavailable: Int32
        var fails = false
        var testDescription: String { "\(maxSurge?.description ?? "nil")/\(maxUnavailable?.description ?? "nil") of \(desired)" }
    }

    static let fencepostCases: [FencepostCase] = [
        FencepostCase(maxSurge: "0%", maxUnavailable: "0%", desired: 0, surge: 0, unavailable: 1),
        FencepostCase(maxSurge: "39%", maxUnavailable: "39%", desired: 10, surge: 4, unavailable: 3),
        FencepostCase(maxSurge: "oops", maxUnavailable: "39%", desired: 10, surge: 0, unavailable: 0, fails: true),
        FencepostCase(maxSurge: "55%", maxUnavailable: "urg", desired: 10, surge: 0, unavailable: 0, fails: true),
        FencepostCase(maxSurge: nil, maxUnavailable: "39%", desired: 10, surge: 0, unavailable: 3),
        FencepostCase(maxSurge: "39%", maxUnavailable: nil, desired: 10, surge: 4, unavailable: 0),
        FencepostCase(maxSurge: nil, maxUnavailable: nil, desired: 10, surge: 0, unavailable: 1),
    ]

    @Test(arguments: fencepostCases)
    func resolveFenceposts(_ testCase: FencepostCase) {
        let result = try? DeploymentUtil.resolveFenceposts(maxSurge: testCase.maxSurge, maxUnavailable: testCase.maxUnavailable,
                                                           desired: testCase.desired)
        if testCase.fails {
            #expect(result == nil)
        } else {
            #expect(result?.surge == testCase.surge)
            #expect(result?.unavailable == testCase.unavailable)
        }
    }

    static let maxUnavailableCases: [(String, AppsV1.Deployment, Int32)] = [
        ("less than replicas", deployment(replicas: 10, maxSurge: 1, maxUnavailable: 5), 5),
        ("equal replicas", deployment(replicas: 10, maxSurge: 1, maxUnavailable: 10), 10),
        ("greater than replicas", deployment(replicas: 5, maxSurge: 1, maxUnavailable: 10), 5),
        ("replicas is 0", deployment(replicas: 0, maxSurge: 1, maxUnavailable: 10), 0),
        ("Recreate", deployment(replicas: 10, type: "Recreate"), 0),
        ("less than replicas with percents", deployment(replicas: 10, maxSurge: 1, maxUnavailable: "50%"), 5),
        ("equal replicas with percents", deployment(replicas: 10, maxSurge: 1, maxUnavailable: "100%"), 10),
        ("greater than replicas with percents", deployment(replicas: 5, maxSurge: 1, maxUnavailable: "100%"), 5),
    ]

    @Test(arguments: 0..<maxUnavailableCases.count)
    func maxUnavailable(_ index: Int) {
        let (_, d, expected) = Self.maxUnavailableCases[index]
        #expect(DeploymentUtil.maxUnavailable(d) == expected)
    }

    static func replicaSet(_ name: String, replicas: Int32, created: Int64 = 0, template: String = "app:1") -> AppsV1.ReplicaSet {
        var rs = AppsV1.ReplicaSet()
        rs.metadata.name = name
        rs.metadata.namespace = "ns"
        rs.metadata.uid = "uid-\(name)"
        rs.metadata.creationTimestamp = MetaV1.Time(secondsSinceEpoch: created)
        rs.spec.replicas = replicas
        rs.spec.template = CoreV1.PodTemplateSpec(
            metadata: MetaV1.ObjectMeta(labels: ["app": "foo", "pod-template-hash": "h-\(name)"]),
            spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: template, name: "app")]))
        return rs
    }

    /// upstream `TestNewRSNewReplicas` (all sets: only the 5-replica one).
    @Test(arguments: [
        ("RollingUpdate", Int32(1), Int32(5), Int32(1), Int32(5)),
        ("RollingUpdate", 6, 2, 10, 6),
        ("Recreate", 3, 1, 1, 3),
    ])
    func newRSNewReplicas(_ type: String, _ depReplicas: Int32, _ newReplicas: Int32, _ maxSurge: Int32, _ expected: Int32) throws {
        var d = Self.deployment(replicas: depReplicas, maxSurge: .int(maxSurge), maxUnavailable: 1)
        d.spec.strategy?.type = type
        let new = Self.replicaSet("new", replicas: newReplicas)
        let five = Self.replicaSet("five", replicas: 5)
        #expect(try DeploymentUtil.newRSNewReplicas(d, all: [five], new: new) == expected)
    }

    /// upstream `TestDeploymentComplete`: desired, current, updated, available, maxUnavailable, maxSurge.
    @Test(arguments: [
        ([Int32(5), 5, 5, 4, 1, 0], false), ([5, 5, 5, 3, 1, 0], false), ([5, 5, 5, 5, 0, 0], true),
        ([5, 5, 4, 5, 0, 0], false), ([1, 2, 1, 1, 0, 1], false), ([1, 1, 1, 0, 1, 1], false),
    ])
    func deploymentComplete(_ values: [Int32], _ expected: Bool) {
        var d = Self.deployment(replicas: values[0], maxSurge: .int(values[5]), maxUnavailable: .int(values[4]))
        d.status = AppsV1.DeploymentStatus(availableReplicas: values[3], replicas: values[1], updatedReplicas: values[2])
        #expect(DeploymentUtil.isComplete(d, d.status) == expected)
    }

    /// upstream `TestDeploymentProgressing`: (current, updated, ready, available) before and after.
    @Test(arguments: [
        ([Int32(10), 4, 4, 4], [Int32(10), 6, 4, 4], true),
        ([10, 4, 4, 4], [10, 4, 4, 4], false),
        ([10, 4, 6, 6], [8, 4, 6, 6], true),
        ([10, 7, 3, 3], [10, 6, 3, 3], false),
        ([10, 4, 7, 7], [8, 8, 5, 5], true),
        ([10, 10, 9, 8], [10, 10, 10, 8], true),
        ([10, 10, 10, 9], [10, 10, 10, 10], true),
    ])
    func deploymentProgressing(_ old: [Int32], _ new: [Int32], _ expected: Bool) {
        func status(_ v: [Int32]) -> AppsV1.DeploymentStatus {
            AppsV1.DeploymentStatus(availableReplicas: v[3], readyReplicas: v[2], replicas: v[0], updatedReplicas: v[1])
        }
        var d = AppsV1.Deployment()
        d.status = status(old)
        #expect(DeploymentUtil.isProgressing(d, status(new)) == expected)
    }

    /// upstream `TestDeploymentTimedOut`.
    @Test(arguments: [
        (Int32?.none, "", 69, 80, false),
        (Int32.max, "", 69, 80, false),
        (10, "", 69, 80, true),
        (10, "", 71, 80, false),
        (Int32?.none, "NewReplicaSetAvailable", 0, 0, false),
    ] as [(Int32?, String, Int64, Int64, Bool)])
    func deploymentTimedOut(_ deadline: Int32?, _ reason: String, _ from: Int64, _ now: Int64, _ expected: Bool) {
        var d = AppsV1.Deployment()
        d.spec.progressDeadlineSeconds = deadline
        d.status.conditions = [AppsV1.DeploymentCondition(lastUpdateTime: MetaV1.Time(secondsSinceEpoch: from),
                                                          reason: reason, status: "True", type: "Progressing")]
        #expect(DeploymentUtil.hasTimedOut(d, d.status, now: Date(timeIntervalSince1970: TimeInterval(now))) == expected)
    }

    @Test func findNewAndOldReplicaSets() {
        var d = Self.deployment(replicas: 3)
        d.spec.template = CoreV1.PodTemplateSpec(metadata: MetaV1.ObjectMeta(labels: ["app": "foo"]),
                                                 spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "app:2", name: "app")]))
        let old = Self.replicaSet("old", replicas: 2, created: 10, template: "app:1")
        let older = Self.replicaSet("older", replicas: 0, created: 5, template: "app:0")
        let new = Self.replicaSet("new", replicas: 1, created: 20, template: "app:2")
        let duplicate = Self.replicaSet("newer-duplicate", replicas: 0, created: 30, template: "app:2")
        #expect(DeploymentUtil.findNewReplicaSet(d, [duplicate, old, new, older])?.metadata.name == "new")
        let (withReplicas, all) = DeploymentUtil.findOldReplicaSets(d, [duplicate, old, new, older])
        #expect(withReplicas.map(\.metadata.name) == ["old"])
        #expect(Set(all.compactMap(\.metadata.name)) == ["old", "older", "newer-duplicate"])
        #expect(DeploymentUtil.findNewReplicaSet(d, [old, older]) == nil)
    }

    @Test func equalIgnoringHashIgnoresOnlyTheHashLabel() {
        let a = Self.replicaSet("a", replicas: 1).spec.template
        var b = a
        b?.metadata?.labels?["pod-template-hash"] = "other"
        #expect(DeploymentUtil.equalIgnoringHash(a, b))
        b?.metadata?.labels?["extra"] = "1"
        #expect(!DeploymentUtil.equalIgnoringHash(a, b))
    }

    /// upstream `TestSetNewReplicaSetAnnotations`-style: the revision only rises, the old one
    /// goes into the history; annotations are copied except the skipped ones.
    @Test func newReplicaSetAnnotations() {
        var d = Self.deployment(replicas: 3, maxSurge: 1)
        d.metadata.annotations = ["kubernetes.io/change-cause": "image app:2",
                                  "kubectl.kubernetes.io/last-applied-configuration": "{}",
                                  DeploymentUtil.revisionAnnotation: "9"]
        var rs = Self.replicaSet("rs", replicas: 0)
        #expect(DeploymentUtil.setNewReplicaSetAnnotations(d, &rs, newRevision: "1", exists: false))
        #expect(rs.metadata.annotations == [
            "kubernetes.io/change-cause": "image app:2", DeploymentUtil.revisionAnnotation: "1",
            DeploymentUtil.desiredReplicasAnnotation: "3", DeploymentUtil.maxReplicasAnnotation: "4",
        ])
        // Rolled back to: revision 1 becomes 3 and 1 goes into the history.
        #expect(DeploymentUtil.setNewReplicaSetAnnotations(d, &rs, newRevision: "3", exists: true))
        #expect(rs.metadata.annotations?[DeploymentUtil.revisionAnnotation] == "3")
        #expect(rs.metadata.annotations?[DeploymentUtil.revisionHistoryAnnotation] == "1")
        #expect(DeploymentUtil.setNewReplicaSetAnnotations(d, &rs, newRevision: "5", exists: true))
        #expect(rs.metadata.annotations?[DeploymentUtil.revisionHistoryAnnotation] == "1,3")
        // A lower revision never replaces a higher one.
        #expect(!DeploymentUtil.setNewReplicaSetAnnotations(d, &rs, newRevision: "2", exists: true))
        #expect(rs.metadata.annotations?[DeploymentUtil.revisionAnnotation] == "5")
    }

    @Test func podTemplateHashIsStableAndChangesWithCollisions() {
        let template = Self.replicaSet("a", replicas: 1).spec.template!
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(hash == PodTemplateHash.compute(template, collisionCount: nil))
        #expect(hash != PodTemplateHash.compute(template, collisionCount: 1))
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        // Each byte picks alphabet[byte % 27]: "0" is byte 48, index 21.
        #expect(PodTemplateHash.safeEncode("0123456789") == "456789bcdf")
    }
}
