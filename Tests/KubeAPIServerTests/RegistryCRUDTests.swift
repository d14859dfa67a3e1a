import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

@Suite("Registry: create, get, update, delete")
struct RegistryCRUDTests {
    @Test func defaultNamespacesExist() async throws {
        let h = try await RegistryHarness()
        let list = try await h.list("/api/v1/namespaces")
        let names = list.items.compactMap { $0.metadata.name }
        #expect(names == ["default", "kube-node-lease", "kube-public", "kube-system"])
        let ns = try #require(list.items.first as? CoreV1.Namespace)
        #expect(ns.status.phase == "Active")
        #expect(ns.spec.finalizers == ["kubernetes"])
        #expect(ns.metadata.labels?["kubernetes.io/metadata.name"] == "default")
        try await h.registry.ensureDefaultNamespaces()  // idempotent
        #expect(try await h.list("/api/v1/namespaces").items.count == 4)
    }

    @Test func createGetUpdateDeleteRoundTrip() async throws {
        let h = try await RegistryHarness()
        let created = try await h.createPod("web", labels: ["app": "web"])
        #expect(created.metadata.uid?.isEmpty == false)
        #expect(created.metadata.creationTimestamp != nil)
        #expect(created.metadata.generation == 1)
        #expect(created.metadata.namespace == "default")
        let rv = try #require(created.metadata.resourceVersion)
        #expect(Int64(rv) == (try await h.store.currentRevision()))

        let fetched = try #require(try await h.object("GET", "/api/v1/namespaces/default/pods/web") as? CoreV1.Pod)
        #expect(fetched == created)
        // The stored value carries no resourceVersion.
        let kv = try #require(try await h.store.get("/registry/core/pods/default/web"))
        #expect(!String(decoding: kv.value, as: UTF8.self).contains("resourceVersion"))

        var changed = fetched
        changed.spec.containers[0].image = "nginx:2"
        changed.metadata.labels = ["app": "web", "v": "2"]
        let updated = try #require(try await h.object(
            "PUT", "/api/v1/namespaces/default/pods/web", body: RegistryHarness.json(changed), code: 200) as? CoreV1.Pod)
        #expect(updated.metadata.generation == 2)
        #expect(updated.metadata.uid == created.metadata.uid)
        #expect(updated.metadata.labels?["v"] == "2")
        #expect(Int64(updated.metadata.resourceVersion!)! > Int64(rv)!)

        // A label-only change keeps the generation.
        var relabelled = updated
        relabelled.metadata.labels = ["app": "web"]
        let relabelledResult = try #require(try await h.object(
            "PUT", "/api/v1/namespaces/default/pods/web", body: RegistryHarness.json(relabelled)) as? CoreV1.Pod)
        #expect(relabelledResult.metadata.generation == 2)

        let deleted = try #require(try await h.object("DELETE", "/api/v1/namespaces/default/pods/web", code: 200) as? CoreV1.Pod)
        #expect(deleted.metadata.name == "web")
        #expect(await h.error("GET", "/api/v1/namespaces/default/pods/web")
                == .notFound(resource: .init(group: "", resource: "pods"), name: "web"))
        #expect(await h.error("DELETE", "/api/v1/namespaces/default/pods/web") != nil)
    }

    @Test func deleteOfOtherKindsAnswersStatusSuccess() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", "/api/v1/namespaces/default/configmaps",
                               body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}"#)
        let result = try await h.call("DELETE", "/api/v1/namespaces/default/configmaps/c")
        guard case .status(let status, 200) = result else { Issue.record("\(result)"); return }
        #expect(status.status == "Success")
        #expect(status.details?.name == "c")
        #expect(status.details?.kind == "configmaps")
    }

    @Test func generateNameAndValidation() async throws {
        let h = try await RegistryHarness()
        let cm = try await h.object("POST", "/api/v1/namespaces/default/configmaps",
                                    body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"cfg-"}}"#, code: 201)
        let name = try #require(cm.metadata.name)
        #expect(name.hasPrefix("cfg-") && name.count == 9)
        #expect(name.dropFirst(4).allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(cm.metadata.generation == nil)  // no spec

        let missing = await h.error("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{}}"#)
        guard case .invalid(_, _, _, let causes)? = missing else { Issue.record("\(String(describing: missing))"); return }
        #expect(causes.first?.field == "metadata.name")
        #expect(missing?.message == #"ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required"#)

        let bad = await h.error("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"Bad_Name"}}"#)
        #expect(bad?.code == 422)
        let badNamespace = await h.error("POST", "/api/v1/namespaces", body: #"{"metadata":{"name":"a.b"}}"#)
        #expect(badNamespace?.code == 422)
        let rbac = try await h.object("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                                      body: #"{"metadata":{"name":"system:controller:x"}}"#, code: 201)
        #expect(rbac.metadata.name == "system:controller:x")
    }

    @Test func createErrors() async throws {
        let h = try await RegistryHarness()
        _ = try await h.createPod("a")
        let pod = #"{"metadata":{"name":"a"},"spec":{"containers":[{"name":"c","image":"x"}]}}"#
        #expect(await h.error("POST", "/api/v1/namespaces/default/pods", body: pod)
                == .alreadyExists(resource: .init(group: "", resource: "pods"), name: "a"))
        #expect(await h.error("POST", "/api/v1/namespaces/nope/pods", body: pod)
                == .notFound(resource: .init(group: "", resource: "namespaces"), name: "nope"))
        let mismatch = await h.error("POST", "/api/v1/namespaces/default/pods",
                                     body: #"{"metadata":{"name":"b","namespace":"other"}}"#)
        #expect(mismatch == .badRequest("the namespace of the provided object does not match the namespace sent on the request"))
        let wrongKind = await h.error("POST", "/api/v1/namespaces/default/pods",
                                      body: #"{"kind":"Service","apiVersion":"v1","metadata":{"name":"b"}}"#)
        #expect(wrongKind?.code == 400)
        for body in ["{", "not json", #"{"metadata":{"name":5}}"#, #"{"spec":{"containers":"x"}}"#, "[]", ""] {
            let error = await h.error("POST", "/api/v1/namespaces/default/pods", body: body)
            #expect(error?.code == 400, "\(body): \(String(describing: error))")
        }
    }

    @Test func terminatingNamespaceRefusesNewContent() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", "/api/v1/namespaces", body: #"{"metadata":{"name":"doomed"}}"#, code: 201)
        let deleting = try #require(try await h.object("DELETE", "/api/v1/namespaces/doomed") as? CoreV1.Namespace)
        #expect(deleting.status.phase == "Terminating")
        #expect(deleting.metadata.deletionTimestamp != nil)
        let error = await h.error("POST", "/api/v1/namespaces/doomed/configmaps", body: #"{"metadata":{"name":"x"}}"#)
        #expect(error?.code == 403)
        #expect(error?.message == #"configmaps "x" is forbidden: unable to create new content in namespace doomed because it is being terminated"#)
        #expect(error?.status.details?.causes?.first?.reason == "NamespaceTerminating")
        // Finalizing (spec.finalizers emptied) removes it.
        var ns = deleting
        ns.spec.finalizers = []
        _ = try await h.object("PUT", "/api/v1/namespaces/doomed/finalize", body: RegistryHarness.json(ns))
        #expect(await h.error("GET", "/api/v1/namespaces/doomed")?.code == 404)
    }

    @Test func updateConflictsAndErrors() async throws {
        let h = try await RegistryHarness()
        let pod = try await h.createPod("p")
        var stale = pod
        stale.metadata.labels = ["x": "1"]
        _ = try await h.object("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(stale))
        stale.metadata.labels = ["x": "2"]
        let conflict = await h.error("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(stale))
        #expect(conflict?.code == 409)
        #expect(conflict?.message == #"Operation cannot be fulfilled on pods "p": the object has been modified; please apply your changes to the latest version and try again"#)

        // Without a resourceVersion an update is unconditional (upstream's AllowUnconditionalUpdate).
        var noVersion = pod
        noVersion.metadata.resourceVersion = nil
        noVersion.metadata.labels = ["x": "3"]
        let unconditional = try await h.object("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(noVersion))
        #expect(unconditional.metadata.labels == ["x": "3"])

        var renamed = pod
        renamed.metadata.name = "q"
        #expect(await h.error("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(renamed))?.code == 400)
        #expect(await h.error("PUT", "/api/v1/namespaces/default/pods/q", body: RegistryHarness.json(renamed))?.code == 404)

        // uid and creationTimestamp are kept from the stored object.
        let current = try #require(try await h.object("GET", "/api/v1/namespaces/default/pods/p") as? CoreV1.Pod)
        var forged = current
        forged.metadata.uid = "forged"
        let kept = try await h.object("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(forged))
        #expect(kept.metadata.uid == pod.metadata.uid)
    }

    @Test func noOpUpdateKeepsResourceVersion() async throws {
        let h = try await RegistryHarness()
        let pod = try await h.createPod("p")
        let same = try await h.object("PUT", "/api/v1/namespaces/default/pods/p", body: RegistryHarness.json(pod))
        #expect(same.metadata.resourceVersion == pod.metadata.resourceVersion)
    }

    @Test func dryRunWritesNothing() async throws {
        let h = try await RegistryHarness()
        let before = try await h.store.currentRevision()
        let pod = try await h.object("POST", "/api/v1/namespaces/default/configmaps", query: ["dryRun": "All"],
                                     body: #"{"metadata":{"name":"dry"}}"#, code: 201)
        #expect(pod.metadata.uid != nil)
        #expect(try await h.store.currentRevision() == before)
        #expect(await h.error("GET", "/api/v1/namespaces/default/configmaps/dry")?.code == 404)
        _ = try await h.createPod("real")
        let mid = try await h.store.currentRevision()
        _ = try await h.call("DELETE", "/api/v1/namespaces/default/pods/real", query: ["dryRun": "All"])
        #expect(try await h.store.currentRevision() == mid)
        _ = try await h.object("GET", "/api/v1/namespaces/default/pods/real")
    }

    @Test func statusSubresourceIsSeparate() async throws {
        let h = try await RegistryHarness()
        var pod = try await h.createPod("s")
        pod.status.phase = "Running"
        pod.spec.containers[0].image = "changed"
        let viaMain = try #require(try await h.object(
            "PUT", "/api/v1/namespaces/default/pods/s", body: RegistryHarness.json(pod)) as? CoreV1.Pod)
        #expect(viaMain.status.phase == "Pending")  // main resource ignores status (Pending since create)
        #expect(viaMain.spec.containers[0].image == "changed")

        var statusUpdate = viaMain
        statusUpdate.status.phase = "Running"
        statusUpdate.spec.containers[0].image = "ignored"
        statusUpdate.metadata.labels = ["via": "status"]
        let viaStatus = try #require(try await h.object(
            "PUT", "/api/v1/namespaces/default/pods/s/status", body: RegistryHarness.json(statusUpdate)) as? CoreV1.Pod)
        #expect(viaStatus.status.phase == "Running")
        #expect(viaStatus.spec.containers[0].image == "changed")
        #expect(viaStatus.metadata.generation == viaMain.metadata.generation)
        #expect(viaStatus.metadata.labels == viaMain.metadata.labels)

        let viaGet = try #require(try await h.object("GET", "/api/v1/namespaces/default/pods/s/status") as? CoreV1.Pod)
        #expect(viaGet.status.phase == "Running")
    }

    /// A status update takes the request's status onto the stored object, typed, for kinds that
    /// have one; other kinds (and mismatched ones) go the JSON way.
    @Test func statusReplacementIsTypedForKindsWithAStatus() throws {
        var old = CoreV1.Pod()
        old.metadata.name = "p"
        old.spec.nodeName = "n1"
        old.status.phase = "Pending"
        var new = old
        new.metadata.labels = ["a": "b"]
        new.spec.nodeName = "n2"
        new.status.phase = "Running"
        new.status.podIP = "10.0.0.1"
        let replaced = try #require(ResourceRegistry.replacingStatus(of: old, with: new) as? CoreV1.Pod)
        #expect(replaced.status == new.status)
        #expect(replaced.spec == old.spec)
        #expect(replaced.metadata == old.metadata)
        #expect(ResourceRegistry.replacingStatus(of: old, with: CoreV1.Node()) == nil)
        #expect(ResourceRegistry.replacingStatus(of: CoreV1.ConfigMap(), with: CoreV1.ConfigMap()) == nil)
    }

    @Test func mergePatch() async throws {
        let h = try await RegistryHarness()
        _ = try await h.createPod("m", labels: ["a": "1", "b": "2"])
        let patched = try #require(try await h.object(
            "PATCH", "/api/v1/namespaces/default/pods/m",
            body: #"{"metadata":{"labels":{"a":null,"c":"3"}},"spec":{"activeDeadlineSeconds":5}}"#,
            contentType: "application/merge-patch+json") as? CoreV1.Pod)
        #expect(patched.metadata.labels == ["b": "2", "c": "3"])
        #expect(patched.spec.activeDeadlineSeconds == 5)
        #expect(patched.metadata.generation == 2)
        let status = try #require(try await h.object(
            "PATCH", "/api/v1/namespaces/default/pods/m/status", body: #"{"status":{"phase":"Succeeded"}}"#,
            contentType: "application/merge-patch+json") as? CoreV1.Pod)
        #expect(status.status.phase == "Succeeded")
        let strategic = await h.error("PATCH", "/api/v1/namespaces/default/pods/m", body: "{}",
                                      contentType: "application/strategic-merge-patch+json")
        #expect(strategic == nil)
        #expect(await h.error("PATCH", "/api/v1/namespaces/default/pods/m", body: "{",
                              contentType: "application/merge-patch+json")?.code == 400)
        #expect(await h.error("PATCH", "/api/v1/namespaces/default/pods/zz", body: "{}",
                              contentType: "application/merge-patch+json")?.code == 404)
        let stale = await h.error("PATCH", "/api/v1/namespaces/default/pods/m",
                                  body: #"{"metadata":{"resourceVersion":"2"}}"#, contentType: "application/merge-patch+json")
        #expect(stale?.code == 409)
    }
}

@Suite struct RegistryObjectSizeTests {
    /// An object over etcd's 1.5 MiB request limit is refused with 413 and not stored; one under
    /// it is stored.
    @Test func objectsOverTheStoreLimitAreRefused() async throws {
        let h = try await RegistryHarness()
        func revision(_ name: String, bytes: Int) -> String {
            #"{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"\#(name)"},"revision":1,"data":{"blob":"\#(String(repeating: "x", count: bytes))"}}"#
        }
        let path = "/apis/apps/v1/namespaces/default/controllerrevisions"
        let error = await h.error("POST", path, body: revision("big", bytes: 1_600_000))
        #expect(error == .requestEntityTooLarge("etcdserver: request is too large"))
        #expect(await h.error("GET", path + "/big") != nil)
        _ = try await h.object("POST", path, body: revision("fits", bytes: 1_500_000), code: 201)
    }
}
