import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

@Suite("Registry: deletion")
struct RegistryDeleteTests {
    @Test func finalizersKeepObjectUntilRemoved() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", "/api/v1/namespaces/default/configmaps",
                               body: #"{"metadata":{"name":"f","finalizers":["example.com/hold"]}}"#)
        let pending = try await h.object("DELETE", "/api/v1/namespaces/default/configmaps/f", code: 200)
        #expect(pending.metadata.deletionTimestamp != nil)
        #expect(pending.metadata.deletionGracePeriodSeconds == 0)
        var current = try await h.object("GET", "/api/v1/namespaces/default/configmaps/f")
        #expect(current.metadata.finalizers == ["example.com/hold"])
        // Deleting again does not remove it either.
        _ = try await h.object("DELETE", "/api/v1/namespaces/default/configmaps/f")
        current = try await h.object("GET", "/api/v1/namespaces/default/configmaps/f")
        current.metadata.finalizers = []
        _ = try await h.object("PUT", "/api/v1/namespaces/default/configmaps/f", body: RegistryHarness.json(current as! CoreV1.ConfigMap))
        #expect(await h.error("GET", "/api/v1/namespaces/default/configmaps/f")?.code == 404)
    }

    @Test func propagationPolicyAddsFinalizer() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", "/apis/apps/v1/namespaces/default/replicasets",
                               body: #"{"metadata":{"name":"rs"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}"#)
        let pending = try await h.object("DELETE", "/apis/apps/v1/namespaces/default/replicasets/rs",
                                         body: #"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}"#)
        #expect(pending.metadata.finalizers == ["foregroundDeletion"])
        #expect(pending.metadata.deletionTimestamp != nil)
        let bad = await h.error("DELETE", "/apis/apps/v1/namespaces/default/replicasets/rs", query: ["propagationPolicy": "Sideways"])
        #expect(bad?.code == 422)
    }

    @Test func preconditions() async throws {
        let h = try await RegistryHarness()
        let pod = try await h.createPod("p")
        let wrongUID = await h.error("DELETE", "/api/v1/namespaces/default/pods/p", body: #"{"preconditions":{"uid":"nope"}}"#)
        #expect(wrongUID?.code == 409)
        let wrongRV = await h.error("DELETE", "/api/v1/namespaces/default/pods/p", body: #"{"preconditions":{"resourceVersion":"1"}}"#)
        #expect(wrongRV?.code == 409)
        _ = try await h.object("DELETE", "/api/v1/namespaces/default/pods/p",
                               body: #"{"preconditions":{"uid":"\#(pod.metadata.uid!)"}}"#)
        #expect(await h.error("GET", "/api/v1/namespaces/default/pods/p")?.code == 404)
        #expect(await h.error("DELETE", "/api/v1/namespaces/default/pods/p", body: "{oops")?.code == 400)
    }

    @Test func podGracefulDeletion() async throws {
        let h = try await RegistryHarness()
        _ = try await h.createPod("bound", nodeName: "node-1")
        let pending = try #require(try await h.object("DELETE", "/api/v1/namespaces/default/pods/bound") as? CoreV1.Pod)
        #expect(pending.metadata.deletionGracePeriodSeconds == 30)
        let deadline = try #require(pending.metadata.deletionTimestamp)
        #expect(abs(deadline.secondsSinceEpoch - MetaV1.Time.now().secondsSinceEpoch - 30) <= 2)
        _ = try await h.object("GET", "/api/v1/namespaces/default/pods/bound")
        // A shorter grace period shortens it; grace 0 (the kubelet's final delete) removes it.
        let shorter = try await h.object("DELETE", "/api/v1/namespaces/default/pods/bound", query: ["gracePeriodSeconds": "5"])
        #expect(shorter.metadata.deletionGracePeriodSeconds == 5)
        _ = try await h.object("DELETE", "/api/v1/namespaces/default/pods/bound",
                               body: #"{"gracePeriodSeconds":0}"#)
        #expect(await h.error("GET", "/api/v1/namespaces/default/pods/bound")?.code == 404)

        _ = try await h.createPod("unbound")
        _ = try await h.object("DELETE", "/api/v1/namespaces/default/pods/unbound")
        #expect(await h.error("GET", "/api/v1/namespaces/default/pods/unbound")?.code == 404)
    }

    @Test func deleteCollectionWithSelector() async throws {
        let h = try await RegistryHarness()
        for i in 0..<4 { _ = try await h.createPod("p\(i)", labels: ["tier": i % 2 == 0 ? "front" : "back"]) }
        let result = try await h.call("DELETE", "/api/v1/namespaces/default/pods", query: ["labelSelector": "tier=front"])
        guard case .list(let deleted) = result else { Issue.record("\(result)"); return }
        #expect(deleted.items.compactMap(\.metadata.name) == ["p0", "p2"])
        let left = try await h.list("/api/v1/namespaces/default/pods")
        #expect(left.items.compactMap(\.metadata.name) == ["p1", "p3"])
    }

    @Test func bindingAndScale() async throws {
        let h = try await RegistryHarness()
        _ = try await h.createPod("b")
        let binding = #"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"b"},"target":{"kind":"Node","name":"n1"}}"#
        let result = try await h.call("POST", "/api/v1/namespaces/default/pods/b/binding", body: binding)
        guard case .status(_, 201) = result else { Issue.record("\(result)"); return }
        let pod = try #require(try await h.object("GET", "/api/v1/namespaces/default/pods/b") as? CoreV1.Pod)
        #expect(pod.spec.nodeName == "n1")
        #expect(pod.status.conditions?.first?.type == "PodScheduled")
        #expect(await h.error("POST", "/api/v1/namespaces/default/pods/b/binding", body: binding)?.code == 409)

        _ = try await h.object("POST", "/apis/apps/v1/namespaces/default/deployments", body: #"""
            {"metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},
             "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """#)
        let scale = try #require(try await h.object("GET", "/apis/apps/v1/namespaces/default/deployments/d/scale") as? AutoscalingV1.Scale)
        #expect(scale.spec.replicas == 2)
        #expect(scale.status.selector == "app=d")
        let patched = try #require(try await h.object(
            "PATCH", "/apis/apps/v1/namespaces/default/deployments/d/scale", body: #"{"spec":{"replicas":5}}"#,
            contentType: "application/merge-patch+json") as? AutoscalingV1.Scale)
        #expect(patched.spec.replicas == 5)
        let deployment = try #require(try await h.object("GET", "/apis/apps/v1/namespaces/default/deployments/d") as? AppsV1.Deployment)
        #expect(deployment.spec.replicas == 5)
        #expect(deployment.metadata.generation == 2)
        var stale = scale
        stale.spec.replicas = 1
        #expect(await h.error("PUT", "/apis/apps/v1/namespaces/default/deployments/d/scale", body: RegistryHarness.json(stale))?.code == 409)
        #expect(await h.error("GET", "/api/v1/namespaces/default/pods/b/log")?.code == 400)
    }
}
