import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// The namespace controller's deleter with cases from upstream's
/// namespaced_resources_deleter_test.go, against a recording client that keeps the objects
/// the server would keep (pods in their grace period, objects with finalizers).
@Suite struct NamespaceControllerTests {
    static let catalog = KubeResourceCatalog.builtIn
    /// A small discovery: configmaps and pods (deletecollection), secrets as listed and deleted one by one.
    static let resources: [KubeResource] = {
        let secrets = catalog.resource(group: "", version: "v1", resource: "secrets")!
        let eachByEach = KubeResource(
            group: secrets.group, version: secrets.version, resource: secrets.resource, singularName: secrets.singularName,
            kind: secrets.kind, namespaced: true, verbs: secrets.verbs.filter { $0 != "deletecollection" },
            shortNames: [], categories: [], subresources: [], type: secrets.type, listType: secrets.listType)
        return [catalog.resource(group: "", version: "v1", resource: "configmaps")!,
                catalog.resource(group: "", version: "v1", resource: "pods")!, eachByEach]
    }()

    static func namespace(_ name: String = "ns", deleting: Bool = true, finalizers: [String]? = ["kubernetes"],
                          phase: String = "Terminating", deletedSecondsAgo: Int64 = 0) -> CoreV1.Namespace {
        var namespace = CoreV1.Namespace()
        namespace.metadata.name = name
        namespace.metadata.uid = "\(name)-uid"
        if deleting { namespace.metadata.deletionTimestamp = MetaV1.Time.now().adding(seconds: -deletedSecondsAgo) }
        namespace.spec.finalizers = finalizers
        namespace.status.phase = phase
        return namespace
    }

    static func pod(_ name: String, grace: Int64 = 30, phase: String = "Running", finalizers: [String]? = nil) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "ns"
        pod.metadata.finalizers = finalizers
        pod.spec.terminationGracePeriodSeconds = grace
        pod.status.phase = phase
        return pod
    }

    static func configMap(_ name: String, finalizers: [String]? = nil) -> CoreV1.ConfigMap {
        var configMap = CoreV1.ConfigMap()
        configMap.metadata.name = name
        configMap.metadata.namespace = "ns"
        configMap.metadata.finalizers = finalizers
        return configMap
    }

    struct Setup {
        let harness: ControllerTestHarness
        let controller: NamespaceController
        var client: RecordingObjectClient { harness.client }
    }

    static func setup(_ namespace: CoreV1.Namespace, content: [any KubeObject] = [], survivors: [any KubeObject] = []) -> Setup {
        let harness = ControllerTestHarness(objects: [namespace as any KubeObject] + content + survivors)
        let surviving = SurvivingObjectClient(harness.client, survivors: survivors)
        let context = ControllerContext(informers: harness.informers, client: surviving, events: harness.events,
                                        logger: harness.context.logger)
        let controller = NamespaceController(context: context, resources: resources)
        harness.cache(namespace)
        for case let pod as CoreV1.Pod in content + survivors { harness.cache(pod) }
        return Setup(harness: harness, controller: controller)
    }

    static func conditions(in action: RecordingObjectClient.Action?) throws -> [CoreV1.NamespaceCondition] {
        let body = try #require(action?.body)
        return try JSONValueDecoder().decode(CoreV1.Namespace.self, from: body).status.conditions ?? []
    }

    static let okConditions: [(String, String, String)] = [
        ("NamespaceDeletionDiscoveryFailure", "ResourcesDiscovered", "All resources successfully discovered"),
        ("NamespaceDeletionGroupVersionParsingFailure", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
        ("NamespaceDeletionContentFailure", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
        ("NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"),
        ("NamespaceFinalizersRemaining", "ContentRemoved", "All content successfully removed"),
    ]

    @Test func anEmptiedNamespaceIsFinalized() async throws {
        let s = Self.setup(Self.namespace(), content: [Self.configMap("a"), Self.pod("p", phase: "Succeeded")])
        var secret = CoreV1.Secret()
        secret.metadata.name = "s"
        secret.metadata.namespace = "ns"
        s.client.seed(secret)
        try await s.controller.reconcile("ns")
        #expect(s.client.actions.map(\.description) == [
            "get Namespace ns",
            "deletecollection ConfigMap ns/", "list ConfigMap ns/",
            "deletecollection Pod ns/", "list Pod ns/",
            "list Secret ns/", "delete Secret ns/s", "list Secret ns/",
            "update Namespace/status ns",
            "update Namespace/finalize ns",
        ])
        #expect(s.client.writes.filter { $0.verb.hasPrefix("delete") }.allSatisfy { $0.deleteOptions?.propagationPolicy == .background })
        let conditions = try Self.conditions(in: s.client.writes.first { $0.subresource == "status" })
        #expect(conditions.map { "\($0.type) \($0.status) \($0.reason ?? "") \($0.message ?? "")" }
                == Self.okConditions.map { "\($0.0) False \($0.1) \($0.2)" })
        let finalize = try JSONValueDecoder().decode(CoreV1.Namespace.self, from: try #require(s.client.writes.last?.body))
        #expect((finalize.spec.finalizers ?? []).isEmpty)
        // Being deleted with no finalizer left, the namespace is gone.
        #expect(s.client.object(CoreV1.Namespace.self, name: "ns") == nil)
    }

    @Test func otherFinalizersAreKeptSorted() async throws {
        let s = Self.setup(Self.namespace(finalizers: ["z.example.com/b", "kubernetes", "a.example.com/a"]))
        try await s.controller.reconcile("ns")
        let finalized = try #require(s.client.object(CoreV1.Namespace.self, name: "ns"))
        #expect(finalized.spec.finalizers == ["a.example.com/a", "z.example.com/b"])
    }

    struct QuietCase: Sendable, CustomTestStringConvertible {
        var label: String
        var namespace: CoreV1.Namespace
        var testDescription: String { label }
    }

    // upstream's TestSyncNamespaceThatIsActive and the "complete" case of testSyncNamespaceThatIsTerminating.
    static let quietCases: [QuietCase] = [
        QuietCase(label: "active namespace", namespace: namespace(deleting: false, phase: "Active")),
        QuietCase(label: "already finalized", namespace: namespace(finalizers: nil)),
    ]

    @Test(arguments: quietCases)
    func namespacesNotWaitingOnThisControllerAreOnlyRead(_ testCase: QuietCase) async throws {
        let s = Self.setup(testCase.namespace, content: [Self.configMap("keep")])
        try await s.controller.reconcile("ns")
        #expect(s.client.actions.map(\.description) == ["get Namespace ns"])
    }

    @Test func aDeletedNamespaceStillActiveIsMarkedTerminatingFirst() async throws {
        let s = Self.setup(Self.namespace(phase: "Active"))
        try await s.controller.reconcile("ns")
        #expect(s.client.writes.first?.description == "update Namespace/status ns")
        let first = try JSONValueDecoder().decode(CoreV1.Namespace.self, from: try #require(s.client.writes.first?.body))
        #expect(first.status.phase == "Terminating")
        #expect(s.client.writes.last?.description == "update Namespace/finalize ns")
    }

    @Test func aNamespaceGoneFromTheCacheIsIgnored() async throws {
        let harness = ControllerTestHarness()
        let controller = NamespaceController(context: harness.context, resources: Self.resources)
        try await controller.reconcile("missing")
        #expect(harness.client.actions.isEmpty)
    }

    @Test func podsInTheirGracePeriodKeepTheNamespaceAndAreCounted() async throws {
        let pods = [Self.pod("p1"), Self.pod("p2")]
        let s = Self.setup(Self.namespace(), survivors: pods)
        await #expect(throws: RequeueAfter.self) { try await s.controller.reconcile("ns") }
        #expect(!s.client.actions.contains { $0.subresource == "finalize" })
        let conditions = try Self.conditions(in: s.client.writes.first { $0.subresource == "status" })
        let remaining = try #require(conditions.first { $0.type == "NamespaceContentRemaining" })
        #expect(remaining.status == "True")
        #expect(remaining.reason == "SomeResourcesRemain")
        #expect(remaining.message == "Some resources are remaining: pods. has 2 resource instances")
        #expect(conditions.first { $0.type == "NamespaceFinalizersRemaining" }?.status == "False")
    }

    @Test func objectsWithFinalizersAreCountedPerFinalizer() async throws {
        let s = Self.setup(Self.namespace(), survivors: [
            Self.configMap("held", finalizers: ["example.com/hold"]),
            Self.pod("p", phase: "Succeeded", finalizers: ["example.com/hold", "example.com/other"]),
        ])
        do {
            try await s.controller.reconcile("ns")
            Issue.record("expected a requeue")
        } catch let requeue as RequeueAfter {
            // upstream's finalizer estimate of 15 s, retried after half of it plus one second.
            #expect(requeue.delay == .seconds(8))
        }
        let conditions = try Self.conditions(in: s.client.writes.first { $0.subresource == "status" })
        #expect(conditions.first { $0.type == "NamespaceContentRemaining" }?.message
                == "Some resources are remaining: configmaps. has 1 resource instances, pods. has 1 resource instances")
        let finalizers = try #require(conditions.first { $0.type == "NamespaceFinalizersRemaining" })
        #expect(finalizers.status == "True")
        #expect(finalizers.reason == "SomeFinalizerRemain")
        #expect(finalizers.message
                == "Some finalizers are remaining: example.com/hold in 2 resource instances, example.com/other in 1 resource instances")
    }

    @Test func aFailedDeletionIsReportedAndRetried() async throws {
        let s = Self.setup(Self.namespace(), content: [Self.configMap("a")])
        s.client.inject(RecordingObjectClient.statusError(code: 500, reason: "InternalError", message: "etcd is down"),
                        verb: "deletecollection", kind: "ConfigMap")
        await #expect(throws: NamespacedResourcesDeleter.ContentDeletionFailed.self) { try await s.controller.reconcile("ns") }
        let conditions = try Self.conditions(in: s.client.writes.first { $0.subresource == "status" })
        let failure = try #require(conditions.first { $0.type == "NamespaceDeletionContentFailure" })
        #expect(failure.status == "True")
        #expect(failure.reason == "ContentDeletionFailed")
        #expect(failure.message == "Failed to delete all resource types, 1 remaining: etcd is down")
        #expect(!s.client.actions.contains { $0.subresource == "finalize" })
    }

    @Test(arguments: [
        // (termination grace periods of non-terminal pods, seconds since deletion, estimate)
        ([30, 10], 0, 30), ([30], 12, 18), ([30], 45, 0), ([], 0, 0),
    ] as [([Int64], Int64, Int64)])
    func theEstimateIsTheLongestGracePeriodLeft(_ graces: [Int64], _ elapsed: Int64, _ estimate: Int64) {
        let harness = ControllerTestHarness()
        for (index, grace) in graces.enumerated() { harness.cache(Self.pod("p\(index)", grace: grace)) }
        harness.cache(Self.pod("done", grace: 600, phase: "Failed"))
        let deleter = NamespacedResourcesDeleter(client: harness.client,
                                                 pods: harness.informers.informer(CoreV1.Pod.self).lister, logger: harness.context.logger)
        let now = MetaV1.Time.now()
        let pods = Self.catalog.resource(group: "", version: "v1", resource: "pods")!
        #expect(deleter.estimateGracefulTermination(pods, in: "ns", deletedAt: now.adding(seconds: -elapsed), now: now) == estimate)
        let configMaps = Self.catalog.resource(group: "", version: "v1", resource: "configmaps")!
        #expect(deleter.estimateGracefulTermination(configMaps, in: "ns", deletedAt: now, now: now) == 0)
    }

    @Test func deletableResourcesAreNamespacedPreferredAndDeletable() {
        let resources = NamespacedResourcesDeleter.deletableResources()
        let names = resources.map(\.groupResource)
        #expect(Set(names).count == names.count)
        #expect(resources.allSatisfy { $0.namespaced && $0.supports("delete") })
        #expect(Set(names).isSuperset(of: ["pods", "configmaps", "secrets", "services", "events", "deployments.apps"]))
        #expect(!names.contains("namespaces") && !names.contains("nodes") && !names.contains("bindings"))
    }
}

/// A recording client whose collection deletes leave `survivors` in place, as the server does
/// for pods in their grace period and objects with finalizers.
struct SurvivingObjectClient: ObjectClient {
    let inner: RecordingObjectClient
    let survivors: [any KubeObject]

    init(_ inner: RecordingObjectClient, survivors: [any KubeObject]) {
        self.inner = inner
        self.survivors = survivors
    }

    func deleteCollection(_ resource: KubeResource, namespace: String, _ options: DeleteOptions) async throws {
        try await inner.deleteCollection(resource, namespace: namespace, options)
        for object in survivors where type(of: object).groupVersionKind.kind == resource.kind { inner.seed(object) }
    }

    func create<Object: KubeObject>(_ object: Object) async throws -> Object { try await inner.create(object) }
    func update<Object: KubeObject>(_ object: Object) async throws -> Object { try await inner.update(object) }
    func updateStatus<Object: KubeObject>(_ object: Object) async throws -> Object { try await inner.updateStatus(object) }
    func update<Object: KubeObject>(_ object: Object, subresource: String) async throws -> Object {
        try await inner.update(object, subresource: subresource)
    }
    func patch<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, _ patch: ObjectPatch) async throws -> Object {
        try await inner.patch(type, namespace: namespace, name: name, patch)
    }
    func delete<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, _ options: DeleteOptions) async throws {
        try await inner.delete(type, namespace: namespace, name: name, options)
    }
    func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws -> Object {
        try await inner.get(type, namespace: namespace, name: name)
    }
    func getMetadata(_ resource: KubeResource, namespace: String?, name: String) async throws -> PartialObjectMetadata {
        try await inner.getMetadata(resource, namespace: namespace, name: name)
    }
    func listMetadata(_ resource: KubeResource, namespace: String?) async throws -> [PartialObjectMetadata] {
        try await inner.listMetadata(resource, namespace: namespace)
    }
    func patchMetadata(_ resource: KubeResource, namespace: String?, name: String, _ patch: ObjectPatch) async throws -> PartialObjectMetadata {
        try await inner.patchMetadata(resource, namespace: namespace, name: name, patch)
    }
    func delete(_ resource: KubeResource, namespace: String?, name: String, _ options: DeleteOptions) async throws {
        try await inner.delete(resource, namespace: namespace, name: name, options)
    }
}

/// The namespace status conditions (upstream's status_condition_utils_test.go).
@Suite struct NamespaceConditionUpdaterTests {
    @Test func okConditionsAreAddedOnceAndKeptWhileNothingChanges() {
        var status = CoreV1.NamespaceStatus()
        var updater = NamespaceConditionUpdater()
        let changed = updater.update(&status)
        #expect(changed)
        #expect(status.conditions?.map(\.type) == NamespaceConditionUpdater.conditionTypes)
        #expect(status.conditions?.allSatisfy { $0.status == "False" } == true)
        var again = NamespaceConditionUpdater()
        let changedAgain = again.update(&status)
        #expect(!changedAgain)
    }

    @Test func aFailureFlipsItsConditionAndItsTransitionTime() {
        var status = CoreV1.NamespaceStatus()
        var ok = NamespaceConditionUpdater()
        _ = ok.update(&status, now: MetaV1.Time(secondsSinceEpoch: 100))
        var failing = NamespaceConditionUpdater()
        failing.processDeleteContentError("b failed")
        failing.processDeleteContentError("a failed")
        failing.processDiscoveryError("Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs")
        let changed = failing.update(&status, now: MetaV1.Time(secondsSinceEpoch: 200))
        #expect(changed)
        let content = status.conditions?.first { $0.type == NamespaceConditionUpdater.contentFailure }
        #expect(content?.status == "True")
        #expect(content?.message == "Failed to delete all resource types, 2 remaining: a failed, b failed")
        #expect(content?.lastTransitionTime == MetaV1.Time(secondsSinceEpoch: 200))
        let discovery = status.conditions?.first { $0.type == NamespaceConditionUpdater.discoveryFailure }
        #expect(discovery?.reason == "DiscoveryFailed")
        let untouched = status.conditions?.first { $0.type == NamespaceConditionUpdater.contentRemaining }
        #expect(untouched?.lastTransitionTime == MetaV1.Time(secondsSinceEpoch: 100))
    }

    @Test func remainingContentIsListedSorted() {
        var updater = NamespaceConditionUpdater()
        updater.processContentTotals(
            remaining: [GroupVersionResource(group: "apps", version: "v1", resource: "deployments"): 1,
                        GroupVersionResource(group: "", version: "v1", resource: "pods"): 2,
                        GroupVersionResource(group: "", version: "v1", resource: "secrets"): 0],
            finalizers: ["b/x": 1, "a/y": 3])
        #expect(updater.newConditions.map(\.message) == [
            "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances",
            "Some finalizers are remaining: a/y in 3 resource instances, b/x in 1 resource instances",
        ])
    }
}
