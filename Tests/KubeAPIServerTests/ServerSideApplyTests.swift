import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Server-side apply. The merge table is structured-merge-diff's `typed/merge_test.go` (its
/// `struct grab bag` and `associative list` schemas rebuilt as OpenAPI); the apply scenarios
/// follow `merge/multiple_appliers_test.go`, `merge/conflict_test.go` and the field manager's
/// `lastappliedmanager_test.go`, with the messages upstream answers.
struct ServerSideApplyTests {
    typealias Entry = MetaV1.ManagedFieldsEntry

    static let t0 = MetaV1.Time(secondsSinceEpoch: 1_700_000_000)
    static let t1 = t0.adding(seconds: 60)
    static let t2 = t0.adding(seconds: 120)
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let pod = GroupVersionKind(group: "", version: "v1", kind: "Pod")
    static let deployment = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")

    static func json(_ text: String) -> JSONValue { FieldSetTests.json(text) }

    /// `manager operation apiVersion fieldsV1` per entry, in order.
    static func summary(_ entries: [Entry]) -> [String] {
        entries.map { entry in
            let fields = entry.fieldsV1.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? "-"
            return "\(entry.manager ?? "") \(entry.operation ?? "") \(entry.apiVersion ?? "") \(fields)"
        }
    }

    /// One apply on top of a previous result (nil: create).
    static func apply(_ previous: (JSONValue, [Entry])?, _ config: String, manager: String, force: Bool = false,
                      gvk: GroupVersionKind = configMap, now: MetaV1.Time = t0) throws -> (JSONValue, [Entry]) {
        let result = try ServerSideApply.apply(
            live: previous?.0, applied: json(config), manager: manager, force: force,
            managedFields: previous?.1 ?? [], gvk: gvk, now: now)
        return (result.object, result.managedFields)
    }

    static func cm(_ data: String) -> String {
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"},"data":"# + data + "}"
    }

    static func pod(_ containers: String) -> String {
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":"# + containers + "}}"
    }

    // MARK: Merge (upstream typed/merge_test.go)

    static let mergeSchema: APISchema = {
        let text = #"""
        {"definitions": {
          "test.MyStruct": {"type": "object", "properties": {
            "numeric": {"type": "number"}, "string": {"type": "string"}, "bool": {"type": "boolean"},
            "setStr": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
            "setBool": {"type": "array", "items": {"type": "boolean"}, "x-kubernetes-list-type": "set"},
            "setNumeric": {"type": "array", "items": {"type": "number"}, "x-kubernetes-list-type": "set"}}},
          "test.MyRoot": {"type": "object", "properties": {
            "list": {"type": "array", "items": {"$ref": "#/definitions/test.MyElement"},
                     "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["key", "id"]},
            "atomicList": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "atomic"}}},
          "test.MyElement": {"type": "object", "properties": {
            "key": {"type": "string"}, "id": {"type": "number"},
            "value": {"type": "object", "additionalProperties": {"type": "string"}},
            "bv": {"type": "boolean"}, "nv": {"type": "number"}}}}}
        """#
        do { return try APISchema(json: Array(text.utf8)) } catch { fatalError("\(error)") }
    }()

    static let grabBag: [(String, String, String)] = [
        (#"{"numeric":1}"#, #"{"numeric":3.14159}"#, #"{"numeric":3.14159}"#),
        (#"{"numeric":3.14159}"#, #"{"numeric":1}"#, #"{"numeric":1}"#),
        (#"{"string":"aoeu"}"#, #"{"bool":true}"#, #"{"string":"aoeu","bool":true}"#),
        (#"{"setStr":["a","b","c"]}"#, #"{"setStr":["a","b"]}"#, #"{"setStr":["a","b","c"]}"#),
        (#"{"setStr":["a","b"]}"#, #"{"setStr":["a","b","c"]}"#, #"{"setStr":["a","b","c"]}"#),
        (#"{"setStr":["a","b","c"]}"#, #"{"setStr":[]}"#, #"{"setStr":["a","b","c"]}"#),
        (#"{"setStr":[]}"#, #"{"setStr":["a","b","c"]}"#, #"{"setStr":["a","b","c"]}"#),
        (#"{"setStr":["a","b"]}"#, #"{"setStr":["b","a"]}"#, #"{"setStr":["b","a"]}"#),
        (#"{"setStr":["a","b","c"]}"#, #"{"setStr":["d","e","f"]}"#, #"{"setStr":["a","b","c","d","e","f"]}"#),
        (#"{"setStr":["a","b","c"]}"#, #"{"setStr":["c","d","e","f"]}"#, #"{"setStr":["a","b","c","d","e","f"]}"#),
        (#"{"setStr":["a","b","c","g","f"]}"#, #"{"setStr":["c","d","e","f"]}"#, #"{"setStr":["a","b","c","g","d","e","f"]}"#),
        (#"{"setStr":["c","d","e","f"]}"#, #"{"setStr":["a","c","e"]}"#, #"{"setStr":["a","c","d","e","f"]}"#),
        (#"{"setStr":["a","b","c","x","y","z"]}"#, #"{"setStr":["d","e","f","x","y","z"]}"#,
         #"{"setStr":["a","b","c","d","e","f","x","y","z"]}"#),
        (#"{"setStr":["c","a","g","f"]}"#, #"{"setStr":["c","f","a","g"]}"#, #"{"setStr":["c","f","a","g"]}"#),
        (#"{"setStr":["a","b","c","d"]}"#, #"{"setStr":["d","e","f","a"]}"#, #"{"setStr":["b","c","d","e","f","a"]}"#),
        (#"{"setStr":["c","d","e","f","g","h","i","j"]}"#, #"{"setStr":["2","h","3","e","4","k","l"]}"#,
         #"{"setStr":["c","d","f","g","2","h","i","j","3","e","4","k","l"]}"#),
        (#"{"setStr":["a","b","c","d","e","f","g","h","i","j"]}"#, #"{"setStr":["1","b","2","h","3","e","4","k","l"]}"#,
         #"{"setStr":["a","1","b","c","d","f","g","2","h","i","j","3","e","4","k","l"]}"#),
        (#"{"setStr":["a","b","b"]}"#, #"{"setStr":["c"]}"#, #"{"setStr":["a","b","b","c"]}"#),
        (#"{"setStr":["a","b","b"]}"#, #"{"setStr":["b"]}"#, #"{"setStr":["a","b"]}"#),
        (#"{"setStr":["a","b","b"]}"#, #"{"setStr":["a"]}"#, #"{"setStr":["a","b","b"]}"#),
        (#"{"setStr":["a","b","c","d","e","c"]}"#, #"{"setStr":["1","b","2","e","d"]}"#,
         #"{"setStr":["a","1","b","c","2","e","c","d"]}"#),
        (#"{"setStr":["a","b","c","d","e","c"]}"#, #"{"setStr":["1","b","2","c","e","d"]}"#,
         #"{"setStr":["a","1","b","2","c","e","d"]}"#),
        (#"{"setStr":["a","a","b","b"]}"#, #"{"setStr":["b","c","d"]}"#, #"{"setStr":["a","a","b","c","d"]}"#),
        (#"{"setStr":["a","a","b","b"]}"#, #"{"setStr":[]}"#, #"{"setStr":["a","a","b","b"]}"#),
        (#"{"setBool":[true]}"#, #"{"setBool":[false]}"#, #"{"setBool":[true,false]}"#),
        (#"{"setNumeric":[1,2,3.14159]}"#, #"{"setNumeric":[1,2,3]}"#, #"{"setNumeric":[1,2,3.14159,3]}"#),
        (#"{"setStr":["c","a","g","f","c","a"]}"#, #"{"setStr":["c","f","a","g"]}"#, #"{"setStr":["c","f","a","g"]}"#),
        (#"{"setNumeric":[1,2,3.14159,1,2]}"#, #"{"setNumeric":[1,2,3]}"#, #"{"setNumeric":[1,2,3.14159,3]}"#),
        (#"{"setBool":[true,false,true]}"#, #"{"setBool":[false]}"#, #"{"setBool":[true,false,true]}"#),
        (#"{"setBool":[true,false,true]}"#, #"{"setBool":[true]}"#, #"{"setBool":[true,false]}"#),
    ]

    static let associativeList: [(String, String, String)] = [
        (#"{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}"#, #"{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}"#,
         #"{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}"#),
        (#"{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}"#, #"{"list":[{"key":"a","id":2,"value":{"a":"a"}}]}"#,
         #"{"list":[{"key":"a","id":1,"value":{"a":"a"}},{"key":"a","id":2,"value":{"a":"a"}}]}"#),
        (#"{"list":[{"key":"a","id":1},{"key":"b","id":1}]}"#, #"{"list":[{"key":"a","id":1},{"key":"a","id":2}]}"#,
         #"{"list":[{"key":"a","id":1},{"key":"b","id":1},{"key":"a","id":2}]}"#),
        (#"{"list":[{"key":"b","id":2}]}"#, #"{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}"#,
         #"{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}"#),
        (#"{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}"#, #"{"list":[{"key":"c","id":3},{"key":"b","id":2}]}"#,
         #"{"list":[{"key":"a","id":1},{"key":"c","id":3},{"key":"b","id":2}]}"#),
        (#"{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}"#, #"{"list":[{"key":"c","id":3},{"key":"a","id":1}]}"#,
         #"{"list":[{"key":"b","id":2},{"key":"c","id":3},{"key":"a","id":1}]}"#),
        (#"{"atomicList":["a","a","a"]}"#, #"{"atomicList":null}"#, #"{"atomicList":null}"#),
        (#"{"atomicList":["a","b","c"]}"#, #"{"atomicList":[]}"#, #"{"atomicList":[]}"#),
        (#"{"atomicList":["a","a","a"]}"#, #"{"atomicList":["a","a"]}"#, #"{"atomicList":["a","a"]}"#),
        (#"{"list":[{"key":"a","id":1,"bv":true},{"key":"b","id":2},{"key":"a","id":1,"bv":false,"nv":2}]}"#,
         #"{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}"#,
         #"{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}"#),
        (#"{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}"#, #"{"list":[]}"#,
         #"{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}"#),
        (#"{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}"#, #"{}"#,
         #"{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}"#),
    ]

    @Test(arguments: grabBag.map { ("test.MyStruct", $0.0, $0.1, $0.2) } + associativeList.map { ("test.MyRoot", $0.0, $0.1, $0.2) })
    func merge(_ type: String, _ lhs: String, _ rhs: String, _ out: String) throws {
        let types = ApplySchema(Self.mergeSchema)
        let node = try #require(Self.mergeSchema.definitions[type])
        let merged = try types.merge(Self.json(lhs), Self.json(rhs), type: .node(node))
        #expect(merged.map { $0.structurallyEquals(Self.json(out)) } == true,
                "got \(merged.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? "nil")")
    }

    // MARK: Apply

    @Test func applyCreates() throws {
        let (object, entries) = try Self.apply(nil, Self.cm(#"{"a":"1","b":"2"}"#), manager: "kubectl")
        #expect(object == Self.json(Self.cm(#"{"a":"1","b":"2"}"#)))
        #expect(Self.summary(entries) == [#"kubectl Apply v1 {"f:data":{"f:a":{},"f:b":{}}}"#])
        #expect(entries.first?.time == Self.t0)
        #expect(entries.first?.fieldsType == "FieldsV1")
        #expect(entries.first?.subresource == nil)
    }

    @Test func applyingAgainWithoutAListItemRemovesIt() throws {
        let first = try Self.apply(nil, Self.pod(#"[{"name":"a","image":"x"},{"name":"b","image":"y"}]"#),
                                   manager: "m", gvk: Self.pod)
        let second = try Self.apply(first, Self.pod(#"[{"name":"a","image":"x"}]"#), manager: "m", gvk: Self.pod, now: Self.t1)
        #expect(second.0 == Self.json(Self.pod(#"[{"name":"a","image":"x"}]"#)))
        #expect(Self.summary(second.1) == [
            #"m Apply v1 {"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:image":{},"f:name":{}}}}}"#,
        ])
        let data = try Self.apply(Self.apply(nil, Self.cm(#"{"a":"1","b":"2"}"#), manager: "m"), Self.cm(#"{"a":"1"}"#), manager: "m")
        #expect(data.0 == Self.json(Self.cm(#"{"a":"1"}"#)))
    }

    @Test func aFieldAnotherManagerAlsoAppliesStays() throws {
        let both = #"[{"name":"a","image":"x"},{"name":"b","image":"y"}]"#
        let m1 = try Self.apply(nil, Self.pod(both), manager: "m1", gvk: Self.pod)
        let m2 = try Self.apply(m1, Self.pod(#"[{"name":"b","image":"y"}]"#), manager: "m2", gvk: Self.pod, now: Self.t1)
        let again = try Self.apply(m2, Self.pod(#"[{"name":"a","image":"x"}]"#), manager: "m1", gvk: Self.pod, now: Self.t2)
        #expect(again.0 == Self.json(Self.pod(both)))
        #expect(Self.summary(again.1) == [
            #"m2 Apply v1 {"f:spec":{"f:containers":{"k:{\"name\":\"b\"}":{".":{},"f:image":{},"f:name":{}}}}}"#,
            #"m1 Apply v1 {"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:image":{},"f:name":{}}}}}"#,
        ])
    }

    @Test func conflictsAndForce() throws {
        let m1 = try Self.apply(nil, Self.cm(#"{"a":"1","b":"1"}"#), manager: "m1")
        #expect(throws: ApplyConflict.self) { try Self.apply(m1, Self.cm(#"{"a":"2"}"#), manager: "m2") }
        do {
            _ = try Self.apply(m1, Self.cm(#"{"a":"2"}"#), manager: "m2")
            Issue.record("expected a conflict")
        } catch let conflict as ApplyConflict {
            #expect(conflict.message == #"Apply failed with 1 conflict: conflict with "m1": .data.a"#)
            #expect(conflict.causes == [.init(reason: "FieldManagerConflict", message: #"conflict with "m1""#, field: ".data.a")])
        }
        do {
            _ = try Self.apply(m1, Self.cm(#"{"a":"2","b":"2"}"#), manager: "m2")
            Issue.record("expected a conflict")
        } catch let conflict as ApplyConflict {
            #expect(conflict.message == "Apply failed with 2 conflicts: conflicts with \"m1\":\n- .data.a\n- .data.b")
        }
        // The same value is no conflict: both own the field.
        let shared = try Self.apply(m1, Self.cm(#"{"a":"1"}"#), manager: "m2", now: Self.t1)
        #expect(Self.summary(shared.1) == [
            #"m1 Apply v1 {"f:data":{"f:a":{},"f:b":{}}}"#, #"m2 Apply v1 {"f:data":{"f:a":{}}}"#,
        ])
        // Forced, the field changes hands.
        let forced = try Self.apply(m1, Self.cm(#"{"a":"2"}"#), manager: "m2", force: true, now: Self.t1)
        #expect(forced.0 == Self.json(Self.cm(#"{"a":"2","b":"1"}"#)))
        #expect(Self.summary(forced.1) == [#"m1 Apply v1 {"f:data":{"f:b":{}}}"#, #"m2 Apply v1 {"f:data":{"f:a":{}}}"#])
    }

    @Test func conflictsWithSeveralManagersAreGroupedByManager() throws {
        let m1 = try Self.apply(nil, Self.cm(#"{"a":"1"}"#), manager: "m1")
        let updated = Self.json(Self.cm(#"{"a":"1","b":"1"}"#))
        let m3 = ManagedFields.recordUpdate(old: m1.0, new: updated, manager: "m3", entries: m1.1, gvk: Self.configMap, now: Self.t1)
        do {
            _ = try Self.apply((updated, m3), Self.cm(#"{"a":"2","b":"2"}"#), manager: "m2", now: Self.t2)
            Issue.record("expected a conflict")
        } catch let conflict as ApplyConflict {
            #expect(conflict.message == "Apply failed with 2 conflicts: conflicts with \"m1\":\n- .data.a\nconflicts with \"m3\" using v1:\n- .data.b")
            #expect(conflict.causes.map(\.message) == [#"conflict with "m1""#, #"conflict with "m3" using v1"#])
        }
    }

    @Test func aNoOpApplyKeepsTheTimes() throws {
        let first = try Self.apply(nil, Self.cm(#"{"a":"1"}"#), manager: "m")
        let second = try Self.apply(first, Self.cm(#"{"a":"1"}"#), manager: "m", now: Self.t1)
        #expect(second.1 == first.1)
        let changed = try Self.apply(first, Self.cm(#"{"a":"2"}"#), manager: "m", now: Self.t1)
        #expect(changed.1.first?.time == Self.t1)
    }

    @Test func applyingNothingGivesUpEverything() throws {
        let first = try Self.apply(nil, Self.cm(#"{"a":"1","b":"2"}"#), manager: "m")
        let (object, entries) = try Self.apply(first, #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"}}"#,
                                               manager: "m", now: Self.t1)
        #expect(object == Self.json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"}}"#))
        #expect(entries.isEmpty)
    }

    @Test func applyingToStatusRecordsASubresourceEntry() throws {
        let live = Self.json(Self.pod(#"[{"name":"a","image":"x"}]"#))
        let result = try ServerSideApply.apply(
            live: live, applied: Self.json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeName":"n"},"status":{"phase":"Running"}}"#),
            manager: "kubelet", force: false, managedFields: [], gvk: Self.pod, subresource: "status", now: Self.t1)
        #expect(result.object["status"] == Self.json(#"{"phase":"Running"}"#))
        #expect(Self.summary(result.managedFields) == [#"kubelet Apply v1 {"f:status":{"f:phase":{}}}"#])
        #expect(result.managedFields.first?.subresource == "status")
    }

    // MARK: Client-side apply, then server-side apply

    static let csaDeployment = #"""
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"image\":\"nginx\",\"name\":\"nginx\"}]}}}}\n"}},
     "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx","name":"nginx"}]}}}}
    """#

    static let ssaDeployment = #"""
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
     "spec":{"replicas":5,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}
    """#

    static func clientSideApplied() -> (JSONValue, [Entry]) {
        let object = json(csaDeployment)
        let entries = ManagedFields.recordUpdate(old: nil, new: object, manager: "kubectl-client-side-apply", entries: [],
                                                 gvk: deployment, now: t0)
        return (object, entries)
    }

    @Test func clientSideApplyRecordsItsFields() {
        #expect(Self.summary(Self.clientSideApplied().1) == [
            "kubectl-client-side-apply Update apps/v1 " + #"{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"#,
        ])
    }

    @Test func anotherManagerConflictsWithClientSideApplyOnReplicas() throws {
        do {
            _ = try Self.apply(Self.clientSideApplied(), Self.ssaDeployment, manager: "ci", gvk: Self.deployment, now: Self.t1)
            Issue.record("expected a conflict")
        } catch let conflict as ApplyConflict {
            #expect(conflict.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#)
            #expect(conflict.causes == [.init(reason: "FieldManagerConflict",
                                              message: #"conflict with "kubectl-client-side-apply" using apps/v1"#,
                                              field: ".spec.replicas")])
        }
    }

    @Test func kubectlTakesOverFieldsTheLastAppliedAnnotationStillHolds() throws {
        let (object, entries) = try Self.apply(Self.clientSideApplied(), Self.ssaDeployment, manager: "kubectl",
                                               gvk: Self.deployment, now: Self.t1)
        #expect(object["spec"]?["replicas"] == .int(5))
        let annotation = object["metadata"]?["annotations"]?[ManagedFields.lastAppliedAnnotation]?.stringValue
        #expect(annotation == String(decoding: Self.json(Self.ssaDeployment).serialized(), as: UTF8.self) + "\n")
        #expect(Self.summary(entries) == [
            "kubectl Apply apps/v1 " + #"{"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"#,
            "kubectl-client-side-apply Update apps/v1 " + #"{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:selector":{},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"#,
        ])
        #expect(entries.map(\.time) == [Self.t1, Self.t0])
    }

    @Test func kubectlConflictsWhenTheLiveValueLeftTheAnnotation() throws {
        let (csa, csaEntries) = Self.clientSideApplied()
        guard case .object(var members) = csa, case .object(var spec)? = members["spec"] else { return }
        spec["replicas"] = .int(4)
        members["spec"] = .object(spec)
        let edited = JSONValue.object(members)
        let entries = ManagedFields.recordUpdate(old: csa, new: edited, manager: "kubectl-edit", entries: csaEntries,
                                                 gvk: Self.deployment, now: Self.t1)
        do {
            _ = try Self.apply((edited, entries), Self.ssaDeployment, manager: "kubectl", gvk: Self.deployment, now: Self.t2)
            Issue.record("expected a conflict")
        } catch let conflict as ApplyConflict {
            #expect(conflict.message == #"Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas"#)
        }
    }

    // MARK: Malformed configurations

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        let name: String
        let gvk: GroupVersionKind
        let config: String
        let error: ApplyError
        var testDescription: String { name }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "another version", gvk: configMap, config: #"{"apiVersion":"v2","kind":"ConfigMap"}"#,
                  error: .badRequest("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1")),
        ErrorCase(name: "no version", gvk: configMap, config: #"{"kind":"ConfigMap"}"#,
                  error: .badRequest("Incorrect version specified in apply patch. Specified patch version: , expected: v1")),
        ErrorCase(name: "managedFields set", gvk: configMap,
                  config: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"managedFields":[]}}"#,
                  error: .badRequest("metadata.managedFields must be nil")),
        ErrorCase(name: "keyed element without its key", gvk: pod, config: pod(#"[{"image":"x"}]"#),
                  error: .invalidObject(#"failed to create typed patch object (v1, Kind=Pod): .spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn't have default value)"#)),
        ErrorCase(name: "duplicate keys", gvk: pod, config: pod(#"[{"name":"a"},{"name":"a"}]"#),
                  error: .invalidObject(#"failed to create typed patch object (v1, Kind=Pod): .spec.containers: duplicate entries for key [name="a"]"#)),
    ]

    @Test(arguments: errorCases)
    func malformedConfigurations(_ c: ErrorCase) {
        #expect(throws: c.error) { try Self.apply(nil, c.config, manager: "m", gvk: c.gvk) }
    }
}
