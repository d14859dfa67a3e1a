import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct DisruptionControllerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func pod(_ name: String, ready: Bool = true, owner: MetaV1.OwnerReference? = nil, terminating: Bool = false,
                    labels: [String: String]? = ["app": "web"]) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "ns"
        pod.metadata.labels = labels
        if let owner { pod.metadata.ownerReferences = [owner] }
        if terminating { pod.metadata.deletionTimestamp = MetaV1.Time(now) }
        pod.status.phase = "Running"
        pod.status.conditions = [CoreV1.PodCondition(status: ready ? "True" : "False", type: "Ready")]
        return pod
    }

    static func budget(minAvailable: IntOrString? = nil, maxUnavailable: IntOrString? = nil,
                       disrupted: [String: MetaV1.Time]? = nil,
                       selector: MetaV1.LabelSelector? = MetaV1.LabelSelector(matchLabels: ["app": "web"])) -> PolicyV1.PodDisruptionBudget {
        var budget = PolicyV1.PodDisruptionBudget()
        budget.metadata.name = "web"
        budget.metadata.namespace = "ns"
        budget.metadata.generation = 1
        budget.spec.selector = selector
        budget.spec.minAvailable = minAvailable
        budget.spec.maxUnavailable = maxUnavailable
        budget.status.disruptedPods = disrupted
        return budget
    }

    static func reference(_ kind: String, _ apiVersion: String, uid: String) -> MetaV1.OwnerReference {
        MetaV1.OwnerReference(apiVersion: apiVersion, controller: true, kind: kind, name: uid, uid: uid)
    }

    static func replicaSet(_ uid: String, replicas: Int32, deployment: String? = nil) -> AppsV1.ReplicaSet {
        var set = AppsV1.ReplicaSet()
        set.metadata.name = uid
        set.metadata.namespace = "ns"
        set.metadata.uid = uid
        set.spec.replicas = replicas
        if let deployment { set.metadata.ownerReferences = [reference("Deployment", "apps/v1", uid: deployment)] }
        return set
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var budget: PolicyV1.PodDisruptionBudget
        var pods: [CoreV1.Pod]
        var replicaSets: [AppsV1.ReplicaSet] = []
        var deploymentReplicas: Int32? = nil
        var statefulSetReplicas: Int32? = nil
        /// expected, desired, current, allowed
        var status: [Int32]
        var testDescription: String { label }
    }

    static let rs = reference("ReplicaSet", "apps/v1", uid: "rs-1")
    static let sts = reference("StatefulSet", "apps/v1", uid: "sts-1")

    // From upstream disruption_test.go: integer and percentage minAvailable/maxUnavailable over
    // unmanaged pods, ReplicaSets, Deployments and StatefulSets; unready and terminating pods.
    static let cases: [Case] = [
        Case(label: "minAvailable 3 of 3 unmanaged ready pods", budget: budget(minAvailable: 3),
             pods: [pod("a"), pod("b"), pod("c")], status: [3, 3, 3, 0]),
        Case(label: "minAvailable 2 of 3 ready pods", budget: budget(minAvailable: 2),
             pods: [pod("a"), pod("b"), pod("c")], status: [3, 2, 3, 1]),
        Case(label: "unready pods are not healthy", budget: budget(minAvailable: 1),
             pods: [pod("a", ready: false), pod("b"), pod("c", ready: false)], status: [3, 1, 1, 0]),
        Case(label: "terminating pods are not healthy", budget: budget(minAvailable: 1),
             pods: [pod("a", terminating: true), pod("b"), pod("c")], status: [3, 1, 2, 1]),
        Case(label: "minAvailable 50% of a ReplicaSet of 4", budget: budget(minAvailable: "50%"),
             pods: [pod("a", owner: rs), pod("b", owner: rs), pod("c", owner: rs), pod("d", owner: rs)],
             replicaSets: [replicaSet("rs-1", replicas: 4)], status: [4, 2, 4, 2]),
        Case(label: "minAvailable 50% rounds up over a ReplicaSet of 3", budget: budget(minAvailable: "50%"),
             pods: [pod("a", owner: rs), pod("b", owner: rs), pod("c", owner: rs)],
             replicaSets: [replicaSet("rs-1", replicas: 3)], status: [3, 2, 3, 1]),
        Case(label: "maxUnavailable 1 uses the Deployment's replicas", budget: budget(maxUnavailable: 1),
             pods: [pod("a", owner: rs), pod("b", owner: rs)],
             replicaSets: [replicaSet("rs-1", replicas: 2, deployment: "dep-1")], deploymentReplicas: 3,
             status: [3, 2, 2, 0]),
        Case(label: "maxUnavailable 34% of a StatefulSet of 3 rounds up to 2", budget: budget(maxUnavailable: "34%"),
             pods: [pod("a", owner: sts), pod("b", owner: sts), pod("c", owner: sts)], statefulSetReplicas: 3,
             status: [3, 1, 3, 2]),
        Case(label: "percentage over unmanaged pods expects none", budget: budget(minAvailable: "50%"),
             pods: [pod("a"), pod("b")], status: [0, 0, 2, 0]),
        // policy/v1: an empty selector covers every pod of the namespace, a missing one none.
        Case(label: "an empty selector covers every pod", budget: budget(minAvailable: 1, selector: MetaV1.LabelSelector()),
             pods: [pod("a"), pod("b", labels: ["app": "db"]), pod("c", labels: nil)], status: [3, 1, 3, 2]),
        Case(label: "a missing selector covers no pod", budget: budget(minAvailable: 1, selector: nil),
             pods: [pod("a"), pod("b")], status: [0, 1, 0, 0]),
    ]

    @Test(arguments: cases)
    func statusFollowsPodsAndControllers(_ testCase: Case) async throws {
        let budget = testCase.budget
        let harness = ControllerTestHarness(objects: [budget])
        let controller = DisruptionController(context: harness.context, now: { Self.now })
        harness.cache(budget)
        for pod in testCase.pods { harness.cache(pod) }
        for set in testCase.replicaSets { harness.cache(set) }
        if let replicas = testCase.deploymentReplicas {
            var deployment = AppsV1.Deployment()
            deployment.metadata = MetaV1.ObjectMeta(name: "dep-1", namespace: "ns", uid: "dep-1")
            deployment.spec.replicas = replicas
            harness.cache(deployment)
        }
        if let replicas = testCase.statefulSetReplicas {
            var set = AppsV1.StatefulSet()
            set.metadata = MetaV1.ObjectMeta(name: "sts-1", namespace: "ns", uid: "sts-1")
            set.spec.replicas = replicas
            harness.cache(set)
        }
        try await controller.reconcile("ns/web")
        let status = try #require(harness.client.object(PolicyV1.PodDisruptionBudget.self, namespace: "ns", name: "web")).status
        #expect([status.expectedPods, status.desiredHealthy, status.currentHealthy, status.disruptionsAllowed]
                    == testCase.status.map { Optional($0) })
        let condition = try #require(StatusConditions.find(status.conditions, "DisruptionAllowed"))
        let allowed = (status.disruptionsAllowed ?? 0) > 0
        #expect(condition.status == (allowed ? "True" : "False"))
        #expect(condition.reason == (allowed ? "SufficientPods" : "InsufficientPods"))
        #expect(status.observedGeneration == 1)
    }

    @Test func recentlyDisruptedPodsAreNotHealthyAndStaleOnesAreDropped() async throws {
        let recent = MetaV1.Time(Self.now.addingTimeInterval(-30))
        let stale = MetaV1.Time(Self.now.addingTimeInterval(-180))
        let budget = Self.budget(minAvailable: 1, disrupted: ["a": recent, "b": stale])
        let harness = ControllerTestHarness(objects: [budget])
        let controller = DisruptionController(context: harness.context, now: { Self.now })
        harness.cache(budget)
        harness.cache(Self.pod("a"), Self.pod("b"), Self.pod("c"))
        try await controller.reconcile("ns/web")
        let status = try #require(harness.client.object(PolicyV1.PodDisruptionBudget.self, namespace: "ns", name: "web")).status
        #expect(status.disruptedPods == ["a": recent])
        #expect(status.currentHealthy == 2)
        #expect(status.disruptionsAllowed == 1)
        #expect(harness.events.events.map(\.reason) == ["NotDeleted"])
    }

    @Test func aPodWhoseControllerIsUnknownFailsSafe() async throws {
        var budget = Self.budget(minAvailable: "50%")
        budget.status.disruptionsAllowed = 3
        let harness = ControllerTestHarness(objects: [budget])
        let controller = DisruptionController(context: harness.context, now: { Self.now })
        harness.cache(budget)
        harness.cache(Self.pod("a", owner: Self.rs))
        await #expect(throws: (any Error).self) { try await controller.reconcile("ns/web") }
        let status = try #require(harness.client.object(PolicyV1.PodDisruptionBudget.self, namespace: "ns", name: "web")).status
        #expect(status.disruptionsAllowed == 0)
        let condition = try #require(StatusConditions.find(status.conditions, "DisruptionAllowed"))
        #expect(condition.reason == "SyncFailed")
        #expect(condition.message == "found no controllers for pod \"a\"")
    }

    @Test func anUnchangedStatusIsNotWritten() async throws {
        let harness = ControllerTestHarness()
        let controller = DisruptionController(context: harness.context, now: { Self.now })
        var budget = Self.budget(minAvailable: 1)
        harness.client.seed(budget)
        harness.cache(Self.pod("a"), Self.pod("b"))
        harness.cache(budget)
        try await controller.reconcile("ns/web")
        budget = try #require(harness.client.object(PolicyV1.PodDisruptionBudget.self, namespace: "ns", name: "web"))
        harness.cache(budget)
        harness.client.clearActions()
        try await controller.reconcile("ns/web")
        #expect(harness.client.writes.isEmpty)
    }
}
