import Foundation
import KubeModel
import KubeStore
import Testing
@testable import KubeAPIServer

/// PATCH through the registry: the three patch types on built-in kinds with their real schema,
/// the status and scale subresources, optimistic locking and the error statuses.
/// Pods' specs are mostly immutable upstream; these tests exercise the patch machinery on them, so
/// they run without the per-kind strategies (validation has its own tests).
struct RegistryPatchTests {
    static let json = "application/json-patch+json"
    static let merge = "application/merge-patch+json"
    static let strategic = "application/strategic-merge-patch+json"
    static let podPath = "/api/v1/namespaces/default/pods/p"
    static let deploymentPath = "/apis/apps/v1/namespaces/default/deployments/d"
    static let workloadPath = "/apis/apps/v1/namespaces/default/deployments/w"

    /// A pod with finalizers (pod specs are immutable: their patches go to `workloadPath`).
    static func createPod(_ h: RegistryHarness) async throws -> CoreV1.Pod {
        try #require(try await h.object("POST", "/api/v1/namespaces/default/pods", body: #"""
            {"metadata":{"name":"p","labels":{"app":"p"},"finalizers":["a/x","a/y"]},
             "spec":{"containers":[{"name":"web","image":"nginx:1"}]}}
            """#, code: 201) as? CoreV1.Pod)
    }

    /// A deployment whose pod template has two containers, env, ports, a volume and tolerations.
    static func createWorkload(_ h: RegistryHarness) async throws -> AppsV1.Deployment {
        try #require(try await h.object("POST", "/apis/apps/v1/namespaces/default/deployments", body: #"""
            {"metadata":{"name":"w","labels":{"app":"w"}},
             "spec":{"selector":{"matchLabels":{"app":"w"}},"template":{"metadata":{"labels":{"app":"w"}},
              "spec":{"containers":[
               {"name":"web","image":"nginx:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                "ports":[{"containerPort":80},{"containerPort":443}]},
               {"name":"side","image":"busybox","args":["a","b"]}],
              "volumes":[{"name":"v","emptyDir":{}}],
              "tolerations":[{"key":"k1","operator":"Exists"}]}}}}
            """#, code: 201) as? AppsV1.Deployment)
    }

    static func createDeployment(_ h: RegistryHarness) async throws {
        _ = try await h.object("POST", "/apis/apps/v1/namespaces/default/deployments", body: #"""
            {"metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},
             "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},
             "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """#, code: 201)
    }

    func pod(_ h: RegistryHarness, _ body: String, _ type: String = RegistryPatchTests.strategic) async throws -> CoreV1.Pod {
        try #require(try await h.object("PATCH", Self.podPath, body: body, contentType: type, code: 200) as? CoreV1.Pod)
    }

    /// Patches the workload and returns it with its pod spec.
    func workload(_ h: RegistryHarness, _ body: String,
                  _ type: String = RegistryPatchTests.strategic) async throws -> (AppsV1.Deployment, CoreV1.PodSpec) {
        let d = try #require(try await h.object("PATCH", Self.workloadPath, body: body, contentType: type, code: 200)
                             as? AppsV1.Deployment)
        return (d, try #require(d.spec.template.spec))
    }

    @Test func strategicMergePatchMergesContainersByName() async throws {
        let h = try await RegistryHarness()
        let created = try await Self.createWorkload(h)
        // What `kubectl apply` sends when one env var goes and an image changes.
        let (patched, spec) = try await workload(h, #"""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],
             "containers":[{"name":"web","image":"nginx:2","$setElementOrder/env":[{"name":"A"}],
                            "env":[{"$patch":"delete","name":"B"}]}]}}}}
            """#)
        #expect(spec.containers.map(\.name) == ["web", "side"])
        #expect(spec.containers[0].image == "nginx:2")
        #expect(spec.containers[0].env?.map(\.name) == ["A"])
        #expect(spec.containers[0].ports?.map(\.containerPort) == [80, 443])
        #expect(spec.containers[1].args == ["a", "b"])
        #expect(patched.metadata.generation == (created.metadata.generation ?? 1) + 1)
        #expect(patched.metadata.resourceVersion != created.metadata.resourceVersion)

        // A new container is appended, ports merge by containerPort, a list without strategy is replaced.
        let (_, added) = try await workload(h, #"""
            {"spec":{"template":{"spec":{
             "containers":[{"name":"extra","image":"x"},{"name":"web","ports":[{"containerPort":8080}]}],
             "tolerations":[{"key":"k2","operator":"Exists"}]}}}}
            """#)
        #expect(added.containers.map(\.name) == ["extra", "web", "side"])
        #expect(added.containers.first { $0.name == "web" }?.ports?.map(\.containerPort) == [8080, 80, 443])
        #expect(added.tolerations?.map(\.key) == ["k2"])

        // A container deleted by merge key, a merging list replaced with $patch: replace, a volume
        // source swapped through $retainKeys.
        let (_, replaced) = try await workload(h, #"""
            {"spec":{"template":{"spec":{"containers":[{"name":"extra","$patch":"delete"},
                                   {"name":"web","env":[{"$patch":"replace"},{"name":"Z","value":"9"}]}],
             "volumes":[{"$retainKeys":["configMap","name"],"name":"v","configMap":{"name":"cm"}}]}}}}
            """#)
        #expect(replaced.containers.map(\.name) == ["web", "side"])
        #expect(replaced.containers[0].env?.map(\.name) == ["Z"])
        #expect(replaced.volumes?.first?.emptyDir == nil)
        #expect(replaced.volumes?.first?.configMap?.name == "cm")
    }

    @Test func strategicMergePatchDirectivesOnMetadataAndVolumes() async throws {
        let h = try await RegistryHarness(strategies: ResourceStrategies())
        _ = try await Self.createPod(h)
        let result = try await h.call("PATCH", Self.podPath, body: #"""
            {"metadata":{"labels":{"app":null,"tier":"web"},"$deleteFromPrimitiveList/finalizers":["a/x"],
                         "finalizers":["a/z"]},
             "spec":{"volumes":[{"$retainKeys":["configMap","name"],"name":"v","configMap":{"name":"cm"}}]}}
            """#, contentType: Self.strategic)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let patched = try await pod(h, #"""
            {"metadata":{"labels":{"app":null,"tier":"web"},"$deleteFromPrimitiveList/finalizers":["a/x"],
                         "finalizers":["a/z"]},
             "spec":{"volumes":[{"$retainKeys":["configMap","name"],"name":"v","configMap":{"name":"cm"}}]}}
            """#)
        #expect(patched.metadata.labels == ["tier": "web"])
        #expect(Set(patched.metadata.finalizers ?? []) == ["a/y", "a/z"])
        #expect(patched.spec.volumes?.first?.emptyDir == nil)
        #expect(patched.spec.volumes?.first?.configMap?.name == "cm")
    }

    @Test func strategicMergePatchRetainKeysOnDeploymentStrategy() async throws {
        let h = try await RegistryHarness(strategies: ResourceStrategies())
        try await Self.createDeployment(h)
        let patched = try #require(try await h.object(
            "PATCH", Self.deploymentPath, body: #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
            contentType: Self.strategic) as? AppsV1.Deployment)
        #expect(patched.spec.strategy?.type == "Recreate")
        #expect(patched.spec.strategy?.rollingUpdate == nil)
    }

    @Test func jsonPatchAppliesOperationsAndTests() async throws {
        let h = try await RegistryHarness()
        let created = try await Self.createWorkload(h)
        let (patched, spec) = try await workload(h, #"""
            [{"op":"test","path":"/spec/template/spec/containers/0/name","value":"web"},
             {"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:3"},
             {"op":"add","path":"/metadata/labels/tier","value":"web"},
             {"op":"remove","path":"/spec/template/spec/containers/1/args/0"},
             {"op":"add","path":"/spec/template/spec/containers/0/env/-","value":{"name":"C","value":"3"}}]
            """#, Self.json)
        #expect(spec.containers[0].image == "nginx:3")
        #expect(patched.metadata.labels == ["app": "w", "tier": "web"])
        #expect(spec.containers[1].args == ["b"])
        #expect(spec.containers[0].env?.map(\.name) == ["A", "B", "C"])

        let failed = await h.error("PATCH", Self.workloadPath, body: #"[{"op":"test","path":"/metadata/name","value":"q"}]"#,
                                   contentType: Self.json)
        #expect(failed?.code == 422)
        #expect(failed?.message.contains("testing value /metadata/name failed") == true)
        let missing = await h.error("PATCH", Self.workloadPath, body: #"[{"op":"remove","path":"/spec/paused/x"}]"#,
                                    contentType: Self.json)
        #expect(missing?.code == 422)
        #expect(await h.error("PATCH", Self.workloadPath, body: #"{"op":"add"}"#, contentType: Self.json)?.code == 400)
        let unchanged = try #require(try await h.object("GET", Self.workloadPath) as? AppsV1.Deployment)
        #expect(unchanged.spec.template.spec?.containers[0].image == "nginx:3")
        #expect(created.metadata.uid == unchanged.metadata.uid)
    }

    @Test func resourceVersionInThePatchIsAPrecondition() async throws {
        let h = try await RegistryHarness(strategies: ResourceStrategies())
        let created = try await Self.createPod(h)
        let current = try #require(created.metadata.resourceVersion)
        for (type, body) in [
            (Self.merge, #"{"metadata":{"resourceVersion":"1"}}"#),
            (Self.strategic, #"{"metadata":{"resourceVersion":"1","labels":{"x":"y"}}}"#),
            (Self.json, #"[{"op":"replace","path":"/metadata/resourceVersion","value":"1"}]"#),
        ] {
            #expect(await h.error("PATCH", Self.podPath, body: body, contentType: type)?.code == 409, "\(type)")
        }
        let pinned = try await pod(h, #"{"metadata":{"resourceVersion":"\#(current)","labels":{"x":"y"}}}"#, Self.merge)
        #expect(pinned.metadata.labels?["x"] == "y")
        let unconditional = try await pod(h, #"{"metadata":{"resourceVersion":null,"labels":{"x":"z"}}}"#, Self.merge)
        #expect(unconditional.metadata.labels?["x"] == "z")
    }

    @Test func patchErrorsAreClientErrors() async throws {
        let h = try await RegistryHarness(strategies: ResourceStrategies())
        _ = try await Self.createPod(h)
        // The patched object no longer decodes as a Pod.
        for (type, body) in [
            (Self.merge, #"{"spec":{"containers":"x"}}"#),
            (Self.json, #"[{"op":"replace","path":"/spec/containers","value":7}]"#),
            (Self.strategic, #"{"spec":{"containers":"x"}}"#),
        ] {
            let error = await h.error("PATCH", Self.podPath, body: body, contentType: type)
            #expect(error?.code == 422, "\(type): \(String(describing: error))")
            #expect(error?.message.contains("patch: Invalid value") == true, "\(type)")
        }
        let noKey = await h.error("PATCH", Self.podPath, body: #"{"spec":{"containers":[{"image":"x"}]}}"#,
                                  contentType: Self.strategic)
        #expect(noKey?.code == 400)
        #expect(noKey?.message.contains("does not contain declared merge key: name") == true)
        #expect(await h.error("PATCH", Self.podPath, body: #"{"metadata":{"$retainKeys":"x"}}"#,
                              contentType: Self.strategic)?.code == 400)
        #expect(await h.error("PATCH", Self.podPath, body: "[]", contentType: Self.strategic)?.code == 400)
        #expect(await h.error("PATCH", Self.podPath, body: #"{"metadata":{"name":"q"}}"#, contentType: Self.merge)?.code == 400)
        // Server-side apply needs a field manager (422 as upstream).
        let apply = await h.error("PATCH", Self.podPath, body: "{}", contentType: "application/apply-patch+yaml")
        #expect(apply?.code == 422)
        #expect(apply?.message.contains("fieldManager: Required value") == true)
        #expect(await h.error("PATCH", "/api/v1/namespaces/default/pods/zz", body: "{}", contentType: Self.strategic)?.code == 404)
    }

    @Test func statusSubresourcePatchTouchesOnlyStatus() async throws {
        let h = try await RegistryHarness(strategies: ResourceStrategies())
        _ = try await Self.createPod(h)
        _ = try await h.object("PATCH", Self.podPath + "/status", body: #"""
            {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}]}}
            """#, contentType: Self.strategic)
        let patched = try #require(try await h.object("PATCH", Self.podPath + "/status", body: #"""
            {"spec":{"containers":[{"name":"web","image":"ignored"}]},
             "status":{"conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}]}}
            """#, contentType: Self.strategic) as? CoreV1.Pod)
        #expect(patched.status.phase == "Running")
        let conditions = Dictionary(uniqueKeysWithValues: (patched.status.conditions ?? []).map { ($0.type, $0.status) })
        #expect(conditions == ["Ready": "True", "PodScheduled": "True"])
        #expect(patched.spec.containers[0].image == "nginx:1")
    }

    @Test func scaleSubresourceTakesAllThreePatchTypes() async throws {
        let h = try await RegistryHarness(strategies: ResourceStrategies())
        try await Self.createDeployment(h)
        let scalePath = Self.deploymentPath + "/scale"
        for (type, body, replicas) in [
            (Self.merge, #"{"spec":{"replicas":3}}"#, Int32(3)),
            (Self.strategic, #"{"spec":{"replicas":4}}"#, 4),
            (Self.json, #"[{"op":"test","path":"/spec/replicas","value":4},{"op":"replace","path":"/spec/replicas","value":6}]"#, 6),
        ] {
            let scale = try #require(try await h.object("PATCH", scalePath, body: body, contentType: type) as? AutoscalingV1.Scale)
            #expect(scale.spec.replicas == replicas, "\(type)")
        }
        let deployment = try #require(try await h.object("GET", Self.deploymentPath) as? AppsV1.Deployment)
        #expect(deployment.spec.replicas == 6)
        #expect(await h.error("PATCH", scalePath, body: #"{"metadata":{"resourceVersion":"1"},"spec":{"replicas":1}}"#,
                              contentType: Self.merge)?.code == 409)
        #expect(await h.error("PATCH", scalePath, body: #"[{"op":"test","path":"/spec/replicas","value":1}]"#,
                              contentType: Self.json)?.code == 422)
        #expect(await h.error("PATCH", scalePath, body: #"{"spec":{"replicas":"many"}}"#, contentType: Self.merge)?.code == 422)
    }

    @Test func dryRunPatchWritesNothing() async throws {
        let h = try await RegistryHarness(strategies: ResourceStrategies())
        _ = try await Self.createPod(h)
        let patched = try #require(try await h.object("PATCH", Self.podPath, query: ["dryRun": "All"],
                                                      body: #"{"metadata":{"labels":{"dry":"run"}}}"#,
                                                      contentType: Self.strategic) as? CoreV1.Pod)
        #expect(patched.metadata.labels?["dry"] == "run")
        let stored = try #require(try await h.object("GET", Self.podPath) as? CoreV1.Pod)
        #expect(stored.metadata.labels?["dry"] == nil)
    }
}

/// `fieldValidation` on PATCH: unknown fields a patch brings in.
struct RegistryPatchFieldValidationTests {
    @Test func unknownFieldsInPatchesFollowFieldValidation() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"fv"}}"#, code: 201)
        let strict = await h.error("PATCH", "/api/v1/namespaces/default/configmaps/fv", query: ["fieldValidation": "Strict"],
                                   body: #"{"data":{"a":"1"},"bogus":1}"#, contentType: "application/merge-patch+json")
        #expect(strict?.code == 400)
        #expect(strict?.message.contains(#"unknown field "bogus""#) == true, "\(String(describing: strict))")
        let warned = try await h.call("PATCH", "/api/v1/namespaces/default/configmaps/fv", query: ["fieldValidation": "Warn"],
                                      body: #"{"data":{"a":"2"},"bogus":1}"#, contentType: "application/merge-patch+json")
        #expect(warned.warnings.contains { $0.contains(#"unknown field "bogus""#) }, "\(warned)")
    }
}
