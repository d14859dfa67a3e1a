import KubeModel
import Testing
@testable import KubeAPIServer

/// Which garbage-collection finalizers a DELETE leaves on an object (upstream's
/// `deletionFinalizersForGarbageCollection` and its store tests).
@Suite("Registry: garbage collection finalizers on delete")
struct RegistryGarbageCollectionFinalizersTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var resource: String
        var current: [String]
        var propagationPolicy: String?
        var orphanDependents: Bool?
        var expected: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "no options: background by default", resource: "configmaps", current: [], expected: []),
        Case(label: "no options: replication controllers orphan by default", resource: "replicationcontrollers",
             current: [], expected: ["orphan"]),
        Case(label: "foreground", resource: "configmaps", current: [], propagationPolicy: "Foreground",
             expected: ["foregroundDeletion"]),
        Case(label: "orphan", resource: "configmaps", current: ["example.com/x"], propagationPolicy: "Orphan",
             expected: ["example.com/x", "orphan"]),
        Case(label: "orphanDependents true", resource: "configmaps", current: [], orphanDependents: true, expected: ["orphan"]),
        Case(label: "orphanDependents false overrides the rc default", resource: "replicationcontrollers", current: [],
             orphanDependents: false, expected: []),
        Case(label: "explicit background drops an existing orphan finalizer", resource: "configmaps",
             current: ["orphan", "example.com/x"], propagationPolicy: "Background", expected: ["example.com/x"]),
        Case(label: "foreground replaces orphan", resource: "configmaps", current: ["orphan"], propagationPolicy: "Foreground",
             expected: ["foregroundDeletion"]),
        Case(label: "no options keep an existing foreground finalizer", resource: "replicationcontrollers",
             current: ["foregroundDeletion"], expected: ["foregroundDeletion"]),
        Case(label: "explicit background on rc", resource: "replicationcontrollers", current: [],
             propagationPolicy: "Background", expected: []),
    ]

    @Test(arguments: cases)
    func finalizers(_ testCase: Case) throws {
        let resource = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: testCase.resource))
        var options = MetaV1.DeleteOptions()
        options.propagationPolicy = testCase.propagationPolicy
        options.orphanDependents = testCase.orphanDependents
        #expect(ResourceRegistry.finalizersForGarbageCollection(testCase.current, options: options, resource: resource)
                == testCase.expected)
    }

    @Test func aBackgroundDeleteOfAnObjectWithTheOrphanFinalizerDeletesIt() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", "/api/v1/namespaces/default/configmaps",
                               body: #"{"metadata":{"name":"o","finalizers":["orphan"]}}"#)
        _ = try await h.call("DELETE", "/api/v1/namespaces/default/configmaps/o",
                             body: #"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}"#)
        let error = await h.error("GET", "/api/v1/namespaces/default/configmaps/o")
        guard case .notFound? = error else {
            Issue.record("expected NotFound, got \(String(describing: error))")
            return
        }
    }
}

/// What the garbage collector's patches leave behind.
@Suite("Registry: owner reference patches")
struct RegistryOwnerReferencePatchTests {
    @Test func deletingTheLastOwnerReferenceLeavesNoEmptyList() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", "/api/v1/namespaces/default/configmaps", body: """
            {"metadata":{"name":"child","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"owner-uid"}]}}
            """)
        let patched = try await h.object(
            "PATCH", "/api/v1/namespaces/default/configmaps/child",
            body: #"{"metadata":{"ownerReferences":[{"$patch":"delete","uid":"owner-uid"}]}}"#,
            contentType: "application/strategic-merge-patch+json")
        #expect(patched.metadata.ownerReferences == nil)
    }
}
