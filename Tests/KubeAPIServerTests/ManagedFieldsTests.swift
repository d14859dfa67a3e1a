import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// managedFields bookkeeping of creates, updates and patches: the cases of upstream's field
/// manager tests (`fieldmanager_test.go`, `managedfieldsupdater_test.go`,
/// `capmanagers_test.go`, `equality_test.go`) and the sets `kubectl create` / `edit` leave.
struct ManagedFieldsTests {
    typealias Entry = MetaV1.ManagedFieldsEntry

    static let t0 = ServerSideApplyTests.t0
    static let t1 = ServerSideApplyTests.t1
    static let pod = ServerSideApplyTests.pod
    static func json(_ text: String) -> JSONValue { FieldSetTests.json(text) }
    static func summary(_ entries: [Entry]) -> [String] { ServerSideApplyTests.summary(entries) }

    static let createdPod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}"#

    static func created() -> (JSONValue, [Entry]) {
        let object = json(createdPod)
        return (object, ManagedFields.recordUpdate(old: nil, new: object, manager: "kubectl-create", entries: [], gvk: pod, now: t0))
    }

    static func editing(_ object: JSONValue, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        guard case .object(var members) = object else { return object }
        change(&members)
        return .object(members)
    }

    @Test func createRecordsEverythingTheObjectSets() {
        let (_, entries) = Self.created()
        #expect(Self.summary(entries) == [
            "kubectl-create Update v1 " + #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}}"#,
        ])
        #expect(entries.first?.time == Self.t0)
        #expect(entries.first?.fieldsType == "FieldsV1")
        #expect(entries.first?.subresource == nil)
    }

    @Test func anUpdateTakesTheFieldsItChanges() {
        let (pod, entries) = Self.created()
        let edited = Self.editing(pod) { $0["spec"] = Self.json(#"{"containers":[{"name":"c","image":"nginx:2"}]}"#) }
        let after = ManagedFields.recordUpdate(old: pod, new: edited, manager: "kubectl-edit", entries: entries, gvk: Self.pod, now: Self.t1)
        #expect(Self.summary(after) == [
            "kubectl-create Update v1 " + #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:name":{}}}}}"#,
            "kubectl-edit Update v1 " + #"{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{"f:image":{}}}}}"#,
        ])
        #expect(after.map(\.time) == [Self.t0, Self.t1])
    }

    @Test func removedFieldsLeaveEveryManagerAndEmptyEntriesGo() {
        let (pod, entries) = Self.created()
        let edited = Self.editing(pod) {
            $0["metadata"] = Self.json(#"{"name":"p","namespace":"default"}"#)
            $0["spec"] = Self.json(#"{"containers":[{"name":"c","image":"nginx:2"}]}"#)
        }
        let first = ManagedFields.recordUpdate(old: pod, new: edited, manager: "kubectl-edit", entries: entries, gvk: Self.pod, now: Self.t1)
        #expect(Self.summary(first) == [
            "kubectl-create Update v1 " + #"{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:name":{}}}}}"#,
            "kubectl-edit Update v1 " + #"{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{"f:image":{}}}}}"#,
        ])
        // Removing the container takes everything from both managers: no entries are left.
        let emptied = Self.editing(edited) { $0["spec"] = Self.json(#"{"containers":[]}"#) }
        let second = ManagedFields.recordUpdate(old: edited, new: emptied, manager: "kubectl-patch", entries: first, gvk: Self.pod, now: Self.t1)
        #expect(second.isEmpty)
    }

    @Test func aManagersUpdatesMergeIntoOneEntryWithTheLatestTime() {
        let (pod, entries) = Self.created()
        let labelled = Self.editing(pod) { $0["metadata"] = Self.json(#"{"name":"p","namespace":"default","labels":{"app":"a","tier":"web"}}"#) }
        let after = ManagedFields.recordUpdate(old: pod, new: labelled, manager: "kubectl-create", entries: entries, gvk: Self.pod, now: Self.t1)
        #expect(Self.summary(after) == [
            "kubectl-create Update v1 " + #"{"f:metadata":{"f:labels":{".":{},"f:app":{},"f:tier":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}}"#,
        ])
        #expect(after.first?.time == Self.t1)
    }

    @Test func aWriteThatChangesNothingLeavesTheEntriesAlone() {
        let (pod, entries) = Self.created()
        #expect(ManagedFields.recordUpdate(old: pod, new: pod, manager: "kubectl-edit", entries: entries, gvk: Self.pod, now: Self.t1) == entries)
    }

    @Test func statusWritesAreRecordedPerSubresource() {
        let (pod, entries) = Self.created()
        let running = Self.editing(pod) { $0["status"] = Self.json(#"{"phase":"Running"}"#) }
        let kubelet = ManagedFields.recordUpdate(old: pod, new: running, manager: "kubelet", subresource: "status",
                                                 entries: entries, gvk: Self.pod, now: Self.t1)
        #expect(kubelet.count == 2)
        #expect(kubelet.last?.manager == "kubelet")
        #expect(kubelet.last?.subresource == "status")
        #expect(kubelet.last?.fieldsV1 == Self.json(#"{"f:status":{"f:phase":{}}}"#))
        // The main resource ignores status: the same change there records nothing.
        let main = ManagedFields.recordUpdate(old: pod, new: running, manager: "kubectl-edit", entries: entries, gvk: Self.pod, now: Self.t1)
        #expect(main == entries)
    }

    @Test func entriesAreSortedApplyFirstThenByTime() throws {
        let (pod, entries) = Self.created()
        let applied = try ServerSideApply.apply(
            live: pod, applied: Self.json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","labels":{"owner":"me"}}}"#),
            manager: "kubectl", force: false, managedFields: entries, gvk: Self.pod, now: Self.t1)
        #expect(applied.managedFields.map(\.manager) == ["kubectl", "kubectl-create"])
        #expect(applied.managedFields.map(\.operation) == ["Apply", "Update"])
    }

    @Test func theOldestUpdateEntriesAreMergedPastTen() {
        let cm = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
        var object = Self.json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{}}"#)
        var entries: [Entry] = []
        for i in 0..<11 {
            let next = Self.editing(object) { members in
                var data = members["data"]?.objectMembers ?? [:]
                data["k\(i)"] = .string("v")
                members["data"] = .object(data)
            }
            entries = ManagedFields.recordUpdate(old: object, new: next, manager: "m\(i)", entries: entries, gvk: cm,
                                                 now: Self.t0.adding(seconds: Int64(i)))
            object = next
        }
        #expect(entries.count == 10)
        #expect(entries.first?.manager == ManagedFields.ancientChangesManager)
        #expect(entries.first?.time == Self.t0.adding(seconds: 1))
        #expect(entries.first?.fieldsV1 == Self.json(#"{"f:data":{"f:k0":{},"f:k1":{}}}"#))
        #expect(entries.dropFirst().map(\.manager) == (2..<11).map { "m\($0)" })
    }

    // MARK: Helpers

    static let live = [Entry(apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: json(#"{"f:data":{}}"#), manager: "live", operation: "Update")]
    static let requested = [Entry(apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: json(#"{"f:data":{}}"#), manager: "req", operation: "Update")]
    static let undecodable = [Entry(apiVersion: "v1", fieldsType: "FieldsV2", manager: "bad", operation: "Update")]

    @Test(arguments: [
        (nil, nil, live),
        ([], nil, []),
        ([Entry()], nil, []),
        (requested, nil, requested),
        (undecodable, nil, live),
        (requested, "status", live),
    ] as [([Entry]?, String?, [Entry])])
    func baseEntries(_ requested: [Entry]?, _ subresource: String?, _ expected: [Entry]) {
        #expect(ManagedFields.baseEntries(requested: requested, live: Self.live, subresource: subresource) == expected)
    }

    @Test(arguments: [
        ("kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef", "kubectl"),
        ("Go-http-client/1.1", "Go-http-client"),
        ("kube-controller-manager/v1.31.0 (linux/amd64) kubernetes/abcdef/system:serviceaccount:kube-system:deployment-controller",
         "kube-controller-manager"),
        ("", ""),
        ("no-slash", "no-slash"),
        (String(repeating: "a", count: 200), String(repeating: "a", count: 128)),
    ])
    func defaultManager(_ userAgent: String, _ expected: String) {
        #expect(ManagedFields.defaultManager(userAgent: userAgent) == expected)
    }

    @Test(arguments: [
        (ManagerIdentity(manager: "kubectl", operation: "Apply", apiVersion: "v1"), #""kubectl""#),
        (ManagerIdentity(manager: "kubectl-edit", operation: "Update", apiVersion: "apps/v1"), #""kubectl-edit" using apps/v1"#),
        (ManagerIdentity(manager: "kubelet", operation: "Update", apiVersion: "v1", subresource: "status"),
         #""kubelet" with subresource "status" using v1"#),
    ])
    func managerNames(_ identity: ManagerIdentity, _ printed: String) {
        #expect(identity.description == printed)
    }

    @Test func undecodableEntriesAreAnApplyError() {
        #expect(throws: ApplyError.managedFields("failed to decode managed fields: invalid fieldsType \"FieldsV2\" in managed fields entry 0")) {
            try ServerSideApply.apply(live: Self.json(#"{"apiVersion":"v1","kind":"ConfigMap"}"#),
                                      applied: Self.json(#"{"apiVersion":"v1","kind":"ConfigMap"}"#), manager: "m", force: false,
                                      managedFields: Self.undecodable, gvk: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"))
        }
    }
}
