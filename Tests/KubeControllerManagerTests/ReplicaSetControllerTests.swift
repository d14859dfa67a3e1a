import Foundation
import Synchronization
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// The replica set controller's reconcile, as upstream replica_set_test.go drives `syncReplicaSet`.
@Suite struct ReplicaSetControllerTests {
    static let labels = ["app": "web"]

    static func replicaSet(_ name: String = "web", replicas: Int32, minReadySeconds: Int32? = nil,
                           generation: Int64 = 1) -> AppsV1.ReplicaSet {
        var rs = AppsV1.ReplicaSet()
        rs.metadata.name = name
        rs.metadata.namespace = "ns"
        rs.metadata.uid = "uid-\(name)"
        rs.metadata.generation = generation
        rs.spec.replicas = replicas
        rs.spec.minReadySeconds = minReadySeconds
        rs.spec.selector = MetaV1.LabelSelector(matchLabels: labels)
        var template = CoreV1.PodTemplateSpec()
        template.metadata = MetaV1.ObjectMeta(annotations: ["note": "x"], labels: labels)
        template.spec = CoreV1.PodSpec(containers: [CoreV1.Container(image: "app:1", name: "app")])
        rs.spec.template = template
        return rs
    }

    static func pod(_ name: String, owner: AppsV1.ReplicaSet?, labels: [String: String] = labels,
                    ready: Bool = true, readySince: Date = Date(timeIntervalSince1970: 1_000), node: String = "n1",
                    phase: String = "Running") -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "ns"
        pod.metadata.uid = "uid-\(name)"
        pod.metadata.labels = labels
        pod.metadata.resourceVersion = "1"
        if let owner { pod.metadata.ownerReferences = [OwnerReferences.controllerReference(to: owner)] }
        pod.spec.nodeName = node
        pod.status.phase = phase
        pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: MetaV1.Time(readySince),
                                                     status: ready ? "True" : "False", type: "Ready")]
        return pod
    }

    static let now = Date(timeIntervalSince1970: 10_000)

    func controller(_ harness: ControllerTestHarness) -> ReplicaSetController<AppsV1.ReplicaSet> {
        ReplicaSetController<AppsV1.ReplicaSet>(context: harness.context, now: { Self.now })
    }

    struct ScaleCase: Sendable, CustomTestStringConvertible {
        var label: String
        var replicas: Int32
        var existing: Int
        var creates: Int
        var deletes: Int
        var testDescription: String { label }
    }

    static let scaleCases: [ScaleCase] = [
        ScaleCase(label: "no pods, 2 wanted: 2 creates", replicas: 2, existing: 0, creates: 2, deletes: 0),
        ScaleCase(label: "3 pods, 3 wanted: nothing", replicas: 3, existing: 3, creates: 0, deletes: 0),
        ScaleCase(label: "5 pods, 2 wanted: 3 deletes", replicas: 2, existing: 5, creates: 0, deletes: 3),
        ScaleCase(label: "1 pod, 7 wanted: 6 creates", replicas: 7, existing: 1, creates: 6, deletes: 0),
    ]

    @Test(arguments: scaleCases)
    func reconcileCreatesOrDeletesTheDifference(_ testCase: ScaleCase) async throws {
        let rs = Self.replicaSet(replicas: testCase.replicas)
        let pods = (0..<testCase.existing).map { Self.pod("web-\($0)", owner: rs) }
        let harness = ControllerTestHarness(objects: [rs] + pods)
        let controller = controller(harness)
        harness.cache(rs)
        for pod in pods { harness.cache(pod) }
        try await controller.reconcile("ns/web")
        let writes = harness.client.writes
        #expect(writes.filter { $0.verb == "create" && $0.kind == "Pod" }.count == testCase.creates)
        #expect(writes.filter { $0.verb == "delete" && $0.kind == "Pod" }.count == testCase.deletes)
        let events = harness.events.events.map(\.reason)
        #expect(events.filter { $0 == "SuccessfulCreate" }.count == testCase.creates)
        #expect(events.filter { $0 == "SuccessfulDelete" }.count == testCase.deletes)
        #expect(controller.expectations.satisfied("ns/web") == (testCase.creates == 0 && testCase.deletes == 0))
    }

    @Test func createdPodsComeFromTheTemplateWithAControllerReference() async throws {
        let rs = Self.replicaSet(replicas: 1)
        let harness = ControllerTestHarness(objects: [rs])
        harness.cache(rs)
        try await controller(harness).reconcile("ns/web")
        let pod = try #require(harness.client.objects(CoreV1.Pod.self).first)
        #expect(pod.metadata.generateName == "web-")
        #expect(pod.metadata.labels == Self.labels)
        #expect(pod.metadata.annotations == ["note": "x"])
        #expect(pod.spec.containers.first?.image == "app:1")
        let reference = try #require(pod.metadata.ownerReferences?.first)
        #expect(reference.kind == "ReplicaSet" && reference.apiVersion == "apps/v1" && reference.name == "web")
        #expect(reference.uid == "uid-web" && reference.controller == true && reference.blockOwnerDeletion == true)
        #expect(harness.events.events.map(\.description) == ["Normal SuccessfulCreate Created pod: \(pod.metadata.name ?? "")"])
    }

    /// Expectations: a second pass before the informer saw the creations does nothing.
    @Test func unmetExpectationsBlockASecondPass() async throws {
        let rs = Self.replicaSet(replicas: 3)
        let harness = ControllerTestHarness(objects: [rs])
        let controller = controller(harness)
        harness.cache(rs)
        try await controller.reconcile("ns/web")
        try await controller.reconcile("ns/web")
        #expect(harness.client.writes.filter { $0.verb == "create" }.count == 3)
        for _ in 0..<3 { controller.expectations.creationObserved("ns/web") }
        #expect(controller.expectations.satisfied("ns/web"))
    }

    /// upstream slowStartBatch: batches 1, 2, 4…; a failure in a batch skips the rest.
    @Test func aFailedCreateStopsTheSlowStartAndSetsReplicaFailure() async throws {
        let rs = Self.replicaSet(replicas: 5)
        let harness = ControllerTestHarness(objects: [rs])
        harness.client.inject(RecordingObjectClient.statusError(code: 403, reason: "Forbidden", message: "quota exceeded"),
                              verb: "create", kind: "Pod")
        let controller = controller(harness)
        harness.cache(rs)
        await #expect(throws: StatusError.self) { try await controller.reconcile("ns/web") }
        #expect(harness.client.actions.filter { $0.verb == "create" }.count == 1)
        #expect(harness.events.events.map(\.description) == ["Warning FailedCreate Error creating: quota exceeded"])
        #expect(controller.expectations.satisfied("ns/web"))
        let status = try #require(harness.client.object(AppsV1.ReplicaSet.self, namespace: "ns", name: "web")).status
        let condition = try #require(status.conditions?.first)
        #expect(condition.type == "ReplicaFailure" && condition.status == "True" && condition.reason == "FailedCreate")
        #expect(condition.message == "quota exceeded")
    }

    @Test func slowStartBatchesDoubleUntilDone() async {
        let calls = SlowStartCallCounter()
        let (successes, error) = await SlowStartBatch.run(count: 10, initialBatchSize: 1) { calls.increment() }
        #expect(successes == 10 && error == nil && calls.value == 10)
    }

    /// Scale-down picks upstream's ranking: not-ready and unscheduled pods go first.
    @Test func scaleDownDeletesTheWorstPodsFirst() async throws {
        let rs = Self.replicaSet(replicas: 2)
        let pods = [
            Self.pod("ready-a", owner: rs, node: "n1"), Self.pod("not-ready", owner: rs, ready: false, node: "n2"),
            Self.pod("ready-b", owner: rs, node: "n3"), Self.pod("pending", owner: rs, ready: false, node: "", phase: "Pending"),
        ]
        let harness = ControllerTestHarness(objects: [rs] + pods)
        harness.cache(rs)
        for pod in pods { harness.cache(pod) }
        try await controller(harness).reconcile("ns/web")
        #expect(Set(harness.client.writes.filter { $0.verb == "delete" }.map(\.name)) == ["not-ready", "pending"])
    }

    @Test func orphansAreAdoptedAndNonMatchingPodsReleased() async throws {
        let rs = Self.replicaSet(replicas: 2)
        var other = Self.replicaSet("other", replicas: 1)
        other.metadata.uid = "uid-other"
        let orphan = Self.pod("orphan", owner: nil)
        let stray = Self.pod("stray", owner: rs, labels: ["app": "db"])
        let foreign = Self.pod("foreign", owner: other)
        let owned = Self.pod("owned", owner: rs)
        let harness = ControllerTestHarness(objects: [rs, orphan, stray, foreign, owned])
        harness.cache(rs)
        for pod in [orphan, stray, foreign, owned] { harness.cache(pod) }
        try await controller(harness).reconcile("ns/web")
        let patches = harness.client.writes.filter { $0.verb == "patch" }
        #expect(patches.map(\.name).sorted() == ["orphan", "stray"])
        let adopt = try #require(patches.first { $0.name == "orphan" }?.body)
        #expect(adopt["metadata"]?["uid"]?.stringValue == "uid-orphan")
        #expect(adopt["metadata"]?["ownerReferences"]?.replicaSetTestFirstItem?["uid"]?.stringValue == "uid-web")
        let release = try #require(patches.first { $0.name == "stray" }?.body)
        #expect(release["metadata"]?["ownerReferences"]?.replicaSetTestFirstItem?["$patch"]?.stringValue == "delete")
        // The adoption checked the owner live first.
        #expect(harness.client.actions.contains { $0.verb == "get" && $0.kind == "ReplicaSet" && $0.name == "web" })
        // owned + adopted orphan = 2: nothing to create or delete.
        #expect(!harness.client.writes.contains { $0.verb == "create" || $0.verb == "delete" })
    }

    @Test func anOwnerBeingDeletedAdoptsAndCreatesNothing() async throws {
        var rs = Self.replicaSet(replicas: 3)
        rs.metadata.deletionTimestamp = MetaV1.Time(Self.now)
        let orphan = Self.pod("orphan", owner: nil)
        let harness = ControllerTestHarness(objects: [rs, orphan])
        harness.cache(rs)
        harness.cache(orphan)
        try await controller(harness).reconcile("ns/web")
        #expect(!harness.client.writes.contains { $0.kind == "Pod" })
    }

    @Test func adoptionStopsWhenTheLiveOwnerIsAnotherObject() async throws {
        let rs = Self.replicaSet(replicas: 1)
        var replaced = rs
        replaced.metadata.uid = "uid-new"
        let orphan = Self.pod("orphan", owner: nil)
        let harness = ControllerTestHarness(objects: [replaced, orphan])
        harness.cache(rs)
        harness.cache(orphan)
        await #expect(throws: (any Error).self) { try await controller(harness).reconcile("ns/web") }
        #expect(!harness.client.writes.contains { $0.verb == "patch" })
    }

    @Test func statusCountsReadyAvailableAndFullyLabeledPods() async throws {
        let rs = Self.replicaSet(replicas: 4, minReadySeconds: 60, generation: 3)
        let pods = [
            Self.pod("old-ready", owner: rs, readySince: Self.now.addingTimeInterval(-600)),
            Self.pod("new-ready", owner: rs, readySince: Self.now.addingTimeInterval(-10)),
            Self.pod("not-ready", owner: rs, ready: false),
            Self.pod("extra-label", owner: rs, labels: ["app": "web", "extra": "1"], ready: false),
        ]
        var finished = Self.pod("finished", owner: rs, phase: "Succeeded")
        finished.status.phase = "Succeeded"
        var terminating = Self.pod("terminating", owner: rs)
        terminating.metadata.deletionTimestamp = MetaV1.Time(Self.now)
        let harness = ControllerTestHarness(objects: [rs] + pods + [finished, terminating])
        harness.cache(rs)
        for pod in pods + [finished, terminating] { harness.cache(pod) }
        try await controller(harness).reconcile("ns/web")
        let status = try #require(harness.client.object(AppsV1.ReplicaSet.self, namespace: "ns", name: "web")).status
        #expect(status.replicas == 4)
        #expect(status.fullyLabeledReplicas == 4)
        #expect(status.readyReplicas == 2)
        #expect(status.availableReplicas == 1)
        #expect(status.terminatingReplicas == 1)
        #expect(status.observedGeneration == 3)
        #expect(status.conditions == nil)
    }

    @Test func anUnchangedStatusIsNotWritten() async throws {
        var rs = Self.replicaSet(replicas: 1)
        let pod = Self.pod("p", owner: rs)
        rs.status = AppsV1.ReplicaSetStatus(availableReplicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1,
                                            readyReplicas: 1, replicas: 1, terminatingReplicas: 0)
        let harness = ControllerTestHarness(objects: [rs, pod])
        harness.cache(rs)
        harness.cache(pod)
        try await controller(harness).reconcile("ns/web")
        #expect(harness.client.writes.isEmpty)
    }

    @Test func aReplicationControllerSharesTheLogic() async throws {
        var rc = CoreV1.ReplicationController()
        rc.metadata.name = "legacy"
        rc.metadata.namespace = "ns"
        rc.metadata.uid = "uid-legacy"
        rc.metadata.generation = 2
        rc.spec.replicas = 2
        rc.spec.selector = ["app": "legacy"]
        rc.spec.template = CoreV1.PodTemplateSpec(metadata: MetaV1.ObjectMeta(labels: ["app": "legacy"]),
                                                  spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "app:1", name: "app")]))
        let harness = ControllerTestHarness(objects: [rc])
        harness.cache(rc)
        let controller = ReplicaSetController<CoreV1.ReplicationController>(context: harness.context, now: { Self.now })
        #expect(controller.name == "replicationcontroller-controller")
        try await controller.reconcile("ns/legacy")
        let pods = harness.client.objects(CoreV1.Pod.self)
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { $0.metadata.ownerReferences?.first?.kind == "ReplicationController" && $0.metadata.generateName == "legacy-" })
        let status = try #require(harness.client.object(CoreV1.ReplicationController.self, namespace: "ns", name: "legacy")).status
        #expect(status.replicas == 0 && status.observedGeneration == 2)
    }

    /// The pod informer's handlers lower the expectations: creations seen by owner, deletions by UID
    /// (a pod marked for deletion counts as deleted).
    @Test func podEventsSatisfyTheExpectations() async throws {
        let rs = Self.replicaSet(replicas: 1)
        let harness = ControllerTestHarness(objects: [rs])
        let controller = controller(harness)
        harness.cache(rs)
        let handlers = ReplicaSetController<AppsV1.ReplicaSet>.PodEventHandlers(
            owners: controller.owners, queue: controller.queue, expectations: controller.expectations)
        controller.expectations.expect("ns/web", adds: 1)
        handlers.added(Self.pod("orphan", owner: nil))
        #expect(!controller.expectations.satisfied("ns/web"))
        handlers.added(Self.pod("mine", owner: rs))
        #expect(controller.expectations.satisfied("ns/web"))
        let victim = Self.pod("victim", owner: rs)
        controller.expectations.expect("ns/web", deleteUIDs: ["uid-victim"])
        var terminating = victim
        terminating.metadata.deletionTimestamp = MetaV1.Time(Self.now)
        terminating.metadata.resourceVersion = "2"
        handlers.updated(victim, terminating)
        #expect(controller.expectations.satisfied("ns/web"))
    }

    @Test func aMissingOwnerForgetsItsExpectations() async throws {
        let harness = ControllerTestHarness()
        let controller = controller(harness)
        controller.expectations.expect("ns/gone", adds: 2)
        try await controller.reconcile("ns/gone")
        #expect(controller.expectations.satisfied("ns/gone"))
        #expect(harness.client.writes.isEmpty)
    }
}

/// Counts calls from concurrent tasks.
final class SlowStartCallCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

extension JSONValue {
    /// The first element of an array value.
    var replicaSetTestFirstItem: JSONValue? {
        if case .array(let items) = self { return items.first }
        return nil
    }
}
