import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream progress_test.go `TestSyncRolloutStatus`.
@Suite struct DeploymentProgressTests {
    static let testTime = MetaV1.Time(secondsSinceEpoch: 1_487_116_800)
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func condition(_ status: String, _ reason: String) -> AppsV1.DeploymentCondition {
        AppsV1.DeploymentCondition(lastTransitionTime: testTime, lastUpdateTime: testTime, message: "",
                                   reason: reason, status: status, type: "Progressing")
    }

    static let pcTrue = condition("True", "ReplicaSetUpdated")
    static let pcFalse = condition("False", "ProgressDeadlineExceeded")
    static let pcNewRS = condition("True", "NewReplicaSetCreated")
    static let pcNewRSAvailable = condition("True", "NewReplicaSetAvailable")
    static let pcTimedOut = condition("False", "ProgressDeadlineExceeded")

    static func deployment(deadline: Int32?, _ replicas: Int32, _ statusReplicas: Int32, _ updated: Int32, _ available: Int32,
                           _ conditions: [AppsV1.DeploymentCondition]) -> AppsV1.Deployment {
        var d = DeploymentTestFixtures.deployment(replicas: replicas, maxSurge: .int(1), maxUnavailable: .int(1))
        d.metadata.generation = nil
        d.spec.progressDeadlineSeconds = deadline
        d.status = AppsV1.DeploymentStatus(availableReplicas: available, conditions: conditions,
                                           replicas: statusReplicas, updatedReplicas: updated)
        return d
    }

    static func rs(_ name: String, _ specReplicas: Int32, _ statusReplicas: Int32, _ available: Int32) -> AppsV1.ReplicaSet {
        var rs = DeploymentTestFixtures.replicaSet(name, replicas: specReplicas, available: available)
        rs.status.replicas = statusReplicas
        return rs
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var d: AppsV1.Deployment
        var all: [AppsV1.ReplicaSet] = []
        var new: AppsV1.ReplicaSet?
        /// (status, reason) of the resulting Progressing condition; nil: none.
        var expected: (String, String)?
        var sameLastUpdate = false
        var sameLastTransition = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no progress deadline: Progressing removed", d: deployment(deadline: nil, 3, 2, 2, 2, [pcTrue]),
             new: rs("bar", 0, 1, 1), expected: nil),
        Case(name: "only one active ReplicaSet: no estimate", d: deployment(deadline: 60, 3, 3, 3, 3, [pcNewRSAvailable]),
             all: [rs("bar", 3, 3, 3)], expected: ("True", "NewReplicaSetAvailable"), sameLastUpdate: true, sameLastTransition: true),
        Case(name: "progressing: lastTransitionTime kept when already True", d: deployment(deadline: 60, 3, 2, 2, 2, [pcTrue]),
             all: [rs("bar", 0, 1, 1)], new: rs("foo", 3, 2, 2), expected: ("True", "ReplicaSetUpdated"), sameLastTransition: true),
        Case(name: "progressing: everything updated when False", d: deployment(deadline: 60, 3, 2, 2, 2, [pcFalse]),
             all: [rs("bar", 0, 1, 1)], new: rs("foo", 3, 2, 2), expected: ("True", "ReplicaSetUpdated")),
        Case(name: "progressing: condition created", d: deployment(deadline: 60, 3, 2, 2, 2, []),
             all: [rs("bar", 0, 1, 1)], new: rs("foo", 3, 2, 2), expected: ("True", "ReplicaSetUpdated")),
        Case(name: "complete: lastTransitionTime kept when already True", d: deployment(deadline: 60, 3, 2, 2, 2, [pcTrue]),
             new: rs("foo", 3, 3, 3), expected: ("True", "NewReplicaSetAvailable"), sameLastTransition: true),
        Case(name: "complete: everything updated when False", d: deployment(deadline: 60, 3, 2, 2, 2, [pcFalse]),
             new: rs("foo", 3, 3, 3), expected: ("True", "NewReplicaSetAvailable")),
        Case(name: "complete: condition created", d: deployment(deadline: 60, 3, 2, 2, 2, []),
             new: rs("foo", 3, 3, 3), expected: ("True", "NewReplicaSetAvailable")),
        Case(name: "complete without a new ReplicaSet", d: deployment(deadline: 60, 0, 3, 3, 3, [pcTrue]),
             all: [rs("foo", 0, 0, 0)], expected: ("True", "NewReplicaSetAvailable")),
        Case(name: "timed out past the deadline", d: deployment(deadline: 60, 3, 2, 2, 2, [pcNewRS]),
             new: rs("foo", 3, 2, 2), expected: ("False", "ProgressDeadlineExceeded")),
        Case(name: "an existing timeout is kept", d: deployment(deadline: 60, 3, 2, 2, 2, [pcTimedOut]),
             new: rs("foo", 3, 2, 2), expected: ("False", "ProgressDeadlineExceeded"), sameLastUpdate: true, sameLastTransition: true),
    ]

    @Test(arguments: cases)
    func syncRolloutStatus(_ testCase: Case) async throws {
        let harness = ControllerTestHarness(objects: [testCase.d])
        let controller = DeploymentController(context: harness.context, now: { Self.now })
        var d = testCase.d
        let all: [AppsV1.ReplicaSet?] = testCase.all + [testCase.new]
        try await controller.syncRolloutStatus(&d, all: all, new: testCase.new)
        let condition = DeploymentConditions.get(d.status, "Progressing")
        guard let (status, reason) = testCase.expected else {
            #expect(condition == nil)
            return
        }
        let found = try #require(condition)
        #expect(found.status == status && found.reason == reason)
        if testCase.sameLastUpdate { #expect(found.lastUpdateTime == Self.testTime) }
        if testCase.sameLastTransition { #expect(found.lastTransitionTime == Self.testTime) }
    }

    @Test func messagesNameTheNewReplicaSet() async throws {
        let harness = ControllerTestHarness()
        let controller = DeploymentController(context: harness.context, now: { Self.now })
        var d = Self.deployment(deadline: 60, 3, 2, 2, 2, [])
        harness.client.seed(d)
        try await controller.syncRolloutStatus(&d, all: [Self.rs("foo", 3, 3, 3)], new: Self.rs("foo", 3, 3, 3))
        #expect(DeploymentConditions.get(d.status, "Progressing")?.message == "ReplicaSet \"foo\" has successfully progressed.")
        #expect(DeploymentConditions.get(d.status, "Available")?.message == "Deployment has minimum availability.")
        #expect(DeploymentConditions.get(d.status, "Available")?.reason == "MinimumReplicasAvailable")
    }

    @Test func aReplicaFailureOfTheNewSetIsCopied() async throws {
        let harness = ControllerTestHarness()
        let controller = DeploymentController(context: harness.context, now: { Self.now })
        var d = Self.deployment(deadline: 60, 3, 2, 2, 2, [])
        harness.client.seed(d)
        var new = Self.rs("foo", 3, 2, 2)
        new.status.conditions = [AppsV1.ReplicaSetCondition(lastTransitionTime: Self.testTime, message: "quota", reason: "FailedCreate",
                                                            status: "True", type: "ReplicaFailure")]
        try await controller.syncRolloutStatus(&d, all: [new], new: new)
        let failure = try #require(DeploymentConditions.get(d.status, "ReplicaFailure"))
        #expect(failure.reason == "FailedCreate" && failure.message == "quota" && failure.lastUpdateTime == Self.testTime)
    }
}
