import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite("Registry: managedFields of create, update and patch")
struct RegistryManagedFieldsTests {
    func owners(_ object: any KubeObject) -> [String: String] {
        var owners: [String: String] = [:]
        for entry in object.metadata.managedFields ?? [] {
            let fields = entry.fieldsV1.map { String(decoding: $0.serialized(), as: UTF8.self) } ?? ""
            owners["\(entry.manager ?? "")/\(entry.operation ?? "")/\(entry.subresource ?? "")"] = fields
        }
        return owners
    }

    @Test func createUpdateAndPatchRecordTheirManagers() async throws {
        let h = try await RegistryHarness()
        let path = "/api/v1/namespaces/default/configmaps"
        let created = try await h.object("POST", path, query: ["fieldManager": "creator"],
                                         body: #"{"metadata":{"name":"c"},"data":{"a":"1"}}"#, code: 201)
        #expect(owners(created) == ["creator/Update/": #"{"f:data":{".":{},"f:a":{}}}"#])

        var changed = try #require(created as? CoreV1.ConfigMap)
        changed.data?["b"] = "2"
        let updated = try await h.object("PUT", path + "/c", query: ["fieldManager": "editor"], body: RegistryHarness.json(changed))
        #expect(owners(updated) == [
            "creator/Update/": #"{"f:data":{".":{},"f:a":{}}}"#,
            "editor/Update/": #"{"f:data":{"f:b":{}}}"#,
        ])

        // The editor takes over a field it changes; an unchanged write records nothing new.
        let patched = try await h.object("PATCH", path + "/c", query: ["fieldManager": "editor"],
                                         body: #"{"data":{"a":"3"}}"#, contentType: "application/merge-patch+json")
        // The creator keeps the map itself (a member without children serialises as `{}`).
        #expect(owners(patched) == [
            "creator/Update/": #"{"f:data":{}}"#,
            "editor/Update/": #"{"f:data":{"f:a":{},"f:b":{}}}"#,
        ])
        let again = try await h.object("PATCH", path + "/c", query: ["fieldManager": "editor"],
                                       body: #"{"data":{"a":"3"}}"#, contentType: "application/merge-patch+json")
        #expect(again.metadata.resourceVersion == patched.metadata.resourceVersion)
        #expect(again.metadata.managedFields == patched.metadata.managedFields)
    }

    @Test func statusWritesAreRecordedUnderTheSubresource() async throws {
        let h = try await RegistryHarness()
        _ = try await h.createPod("p")
        let patched = try await h.object("PATCH", "/api/v1/namespaces/default/pods/p/status", query: ["fieldManager": "kubelet"],
                                         body: #"{"status":{"phase":"Running"}}"#, contentType: "application/merge-patch+json")
        let entry = try #require(patched.metadata.managedFields?.first { $0.manager == "kubelet" })
        #expect(entry.subresource == "status")
        #expect(String(decoding: entry.fieldsV1?.serialized() ?? [], as: UTF8.self) == #"{"f:status":{"f:phase":{}}}"#)
    }

    @Test func overlongFieldManagerIsRejected() async throws {
        let h = try await RegistryHarness()
        let error = await h.error("POST", "/api/v1/namespaces/default/configmaps",
                                  query: ["fieldManager": String(repeating: "m", count: 129)],
                                  body: #"{"metadata":{"name":"c"}}"#)
        #expect(error?.code == 400)
    }
}
