import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite("Field validation (fieldValidation=Strict|Warn|Ignore)")
struct FieldValidationTests {
    /// Upstream's integration-test body (test/integration/apiserver/field_validation_test.go):
    /// duplicates, unknown fields, a key both unknown and duplicated, nested problems.
    static let invalidDeployment = """
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "name": "dupename",
            "name": "web",
            "labels": {"app": "nginx"},
            "unknownMeta": "metaVal"
          },
          "spec": {
            "unknown1": "val1",
            "unknownDupe": "valDupe",
            "unknownDupe": "valDupe2",
            "paused": true,
            "paused": false,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
              "metadata": {"labels": {"app": "nginx"}},
              "spec": {
                "containers": [{
                  "name": "nginx",
                  "image": "nginx:latest",
                  "unknownNested": "val1",
                  "imagePullPolicy": "Always",
                  "imagePullPolicy": "Never"
                }]
              }
            }
          }
        }
        """

    /// Upstream's expected strict decoding errors for that body, in document order.
    static let invalidDeploymentProblems = [
        #"duplicate field "metadata.name""#,
        #"unknown field "metadata.unknownMeta""#,
        #"unknown field "spec.unknown1""#,
        #"unknown field "spec.unknownDupe""#,
        #"duplicate field "spec.paused""#,
        #"unknown field "spec.template.spec.containers[0].unknownNested""#,
        #"duplicate field "spec.template.spec.containers[0].imagePullPolicy""#,
    ]

    static func problems(_ body: String, _ kind: GroupVersionKind) throws -> [String] {
        let (json, duplicates) = try JSONParser.parseReportingDuplicates(Array(body.utf8))
        return FieldValidation.problems(in: json, duplicates: duplicates, kind: kind, order: JSONFieldOrder(Array(body.utf8)))
    }

    static let pod = GroupVersionKind(group: "", version: "v1", kind: "Pod")

    @Test func upstreamCaseInDocumentOrder() throws {
        let kind = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
        #expect(try Self.problems(Self.invalidDeployment, kind) == Self.invalidDeploymentProblems)
    }

    static let podCases: [(String, [String])] = [
        // Unknown fields at every level; known fields pass.
        (#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}"#, [String]()),
        (#"{"spec":{"foo":1}}"#, [#"unknown field "spec.foo""#]),
        (#"{"Spec":{}}"#, [#"unknown field "Spec""#]),
        (#"{"spec":{"containers":[{"name":"a"},{"name":"b","bogus":true}]}}"#, [#"unknown field "spec.containers[1].bogus""#]),
        (#"{"spec":{"foo":{"bar":1,"bar":2}}}"#, [#"unknown field "spec.foo""#]),
        (#"{"spec":{"containers":[{"resources":{"limits":{"cpu":"1","cpu":"2"}}}]}}"#,
         [#"duplicate field "spec.containers[0].resources.limits.cpu""#]),
        (#"{"metadata":{"labels":{"a":"1","a":"2"},"annotations":{"x":"y"}}}"#, [#"duplicate field "metadata.labels.a""#]),
        (#"{"metadata":{"managedFields":[{"fieldsV1":{"f:metadata":{"f:x":{},"f:x":{}}}}]}}"#, [String]()),
        (#"{"spec":null,"status":{"phase":"Running","bogus":1}}"#, [#"unknown field "status.bogus""#]),
        (#"{"z":1,"a":2}"#, [#"unknown field "z""#, #"unknown field "a""#]),
    ]

    @Test(arguments: podCases)
    func podProblems(body: String, expected: [String]) throws {
        #expect(try Self.problems(body, Self.pod) == expected)
    }

    static let otherKindCases: [(GroupVersionKind, String, [String])] = [
        // RawExtension: anything goes.
        (GroupVersionKind(group: "apps", version: "v1", kind: "ControllerRevision"),
         #"{"data":{"anything":{"x":1,"x":2}},"revision":1}"#, [String]()),
        // apiextensions JSON values and preserve-unknown-fields are opaque; JSONSchemaProps is typed;
        // CustomResourceSubresourceStatus is a struct without fields.
        (GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition"),
         #"{"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"type":"object","default":{"a":{"b":1}},"bogus":1}},"subresources":{"status":{"x":1}}}]}}"#,
         [#"unknown field "spec.versions[0].schema.openAPIV3Schema.bogus""#,
          #"unknown field "spec.versions[0].subresources.status.x""#]),
        (GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
         #"{"data":{"a":"1","b":"2","a":"3"},"binaryData":{}}"#, [#"duplicate field "data.a""#]),
        // A kind the schema does not know: nothing to check.
        (GroupVersionKind(group: "example.com", version: "v1", kind: "Widget"), #"{"spec":{"x":1}}"#, [String]()),
    ]

    @Test(arguments: otherKindCases)
    func otherKinds(kind: GroupVersionKind, body: String, expected: [String]) throws {
        #expect(try Self.problems(body, kind) == expected)
    }

    // MARK: The one-pass read

    /// Whether the kind's reader, reading `body` with `checksFields`, asks for the full check.
    static func readerNeedsFieldCheck<T: KubeObject>(_ type: T.Type, _ body: String) throws -> Bool {
        var reader = JSONReader(Array(body.utf8))
        reader.checksFields = true
        _ = try T(json: &reader)
        try reader.finish()
        return reader.needsFieldCheck
    }

    /// A body skips the full check only when the reader saw nothing to check: every body with
    /// a problem asks for it (a clean one may too, e.g. with keys inside opaque values).
    @Test(arguments: podCases)
    func readerAsksForTheFullCheckOnEveryPodProblem(body: String, expected: [String]) throws {
        #expect(try Self.readerNeedsFieldCheck(CoreV1.Pod.self, body) || expected.isEmpty)
    }

    @Test func readerAsksForTheFullCheckOnUpstreamCase() throws {
        #expect(try Self.readerNeedsFieldCheck(AppsV1.Deployment.self, Self.invalidDeployment))
        let configMap = try #require(Self.otherKindCases.first { $0.0.kind == "ConfigMap" })
        #expect(try Self.readerNeedsFieldCheck(CoreV1.ConfigMap.self, configMap.1))
        let definition = try #require(Self.otherKindCases.first { $0.0.kind == "CustomResourceDefinition" })
        #expect(try Self.readerNeedsFieldCheck(ApiextensionsV1.CustomResourceDefinition.self, definition.1))
    }

    /// What clients send every day needs no second pass: kubectl's pod, a kubelet's Lease
    /// renewal and pod status, a scheduler's Binding.
    @Test(arguments: [
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","labels":{"app":"web","tier":"front"},"annotations":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","3600"],"env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],"ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"1","memory":"128Mi"}}}],"tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule"}]},"status":{}}"#,
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"bench","uid":"u","resourceVersion":"7"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"i"}]},"status":{"phase":"Running","podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"}],"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}],"containerStatuses":[{"name":"c","image":"i","imageID":"","ready":true,"restartCount":0,"started":true,"state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}}]}}"#,
    ])
    func everydayPodsNeedNoFullCheck(body: String) throws {
        #expect(try !Self.readerNeedsFieldCheck(CoreV1.Pod.self, body))
    }

    @Test func everydayLeasesAndBindingsNeedNoFullCheck() throws {
        let lease = #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n1","namespace":"kube-node-lease","ownerReferences":[{"apiVersion":"v1","kind":"Node","name":"n1","uid":"u"}]},"spec":{"holderIdentity":"n1","leaseDurationSeconds":40,"renewTime":"2026-01-01T00:00:00.000000Z"}}"#
        #expect(try !Self.readerNeedsFieldCheck(CoordinationV1.Lease.self, lease))
        let binding = #"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p","namespace":"bench"},"target":{"kind":"Node","name":"n1"}}"#
        #expect(try !Self.readerNeedsFieldCheck(CoreV1.Binding.self, binding))
    }

    /// Keys are tracked up to a bound per object; a larger object gets the full check.
    @Test func largeObjectsGetTheFullCheck() throws {
        let data = (0..<(JSONReader.trackedKeysPerObject + 1)).map { #""k\#($0)":"v""# }.joined(separator: ",")
        #expect(try Self.readerNeedsFieldCheck(CoreV1.ConfigMap.self, #"{"data":{\#(data)}}"#))
        let small = (0..<8).map { #""k\#($0)":"v""# }.joined(separator: ",")
        #expect(try !Self.readerNeedsFieldCheck(CoreV1.ConfigMap.self, #"{"data":{\#(small)}}"#))
    }

    @Test func documentOrderOfKeys() {
        let order = JSONFieldOrder(Array(#"{"b":{"y":[{"k":1},{"k":2,"k":3}]},"a":"x\"y","c\u0041":0}"#.utf8))
        #expect(order.position(of: "b") == 0)
        #expect(order.position(of: "b.y") == 1)
        #expect(order.position(of: "b.y[0].k") == 2)
        #expect(order.position(of: "b.y[1].k") == 3)
        #expect(order.position(of: "b.y[1].k", occurrence: 1) == 4)
        #expect(order.position(of: "a") == 5)
        #expect(order.position(of: "cA") == 6)
        #expect(order.position(of: "nope") == nil)
    }

    // MARK: Through the registry

    static func request(_ mode: String?) -> [String: String] {
        mode.map { ["fieldValidation": $0] } ?? [:]
    }

    @Test(arguments: ["Strict", "Warn", "Ignore", nil] as [String?])
    func createHonoursTheDirective(mode: String?) async throws {
        let h = try await RegistryHarness()
        let path = "/apis/apps/v1/namespaces/default/deployments"
        let kind = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
        if mode == "Strict" {
            let error = await h.error("POST", path, query: Self.request(mode), body: Self.invalidDeployment)
            #expect(error == .badRequest(FieldValidation.strictDecodingMessage(Self.invalidDeploymentProblems, kind: kind)))
            #expect(error?.message.hasSuffix(
                #"strict decoding error: duplicate field "metadata.name", unknown field "metadata.unknownMeta", unknown field "spec.unknown1", unknown field "spec.unknownDupe", duplicate field "spec.paused", unknown field "spec.template.spec.containers[0].unknownNested", duplicate field "spec.template.spec.containers[0].imagePullPolicy""#) == true)
            return
        }
        let result = try await h.call("POST", path, query: Self.request(mode), body: Self.invalidDeployment)
        #expect(result.warnings == (mode == "Ignore" ? [] : Self.invalidDeploymentProblems))
        guard case .object(let object, let code) = result.withoutWarnings else { Issue.record("\(result)"); return }
        #expect(code == 201)
        let deployment = try #require(object as? AppsV1.Deployment)
        // The last duplicate wins, as upstream.
        #expect(deployment.metadata.name == "web")
        #expect(deployment.spec.paused == false)
        #expect(deployment.spec.template.spec?.containers.first?.imagePullPolicy == "Never")
    }

    @Test func updateHonoursTheDirective() async throws {
        let h = try await RegistryHarness()
        let created = try await h.object("POST", "/api/v1/namespaces/default/configmaps",
                                         body: #"{"metadata":{"name":"c"},"data":{"a":"b"}}"#, code: 201)
        let rv = try #require(created.metadata.resourceVersion)
        let body = #"{"metadata":{"name":"c","resourceVersion":"\#(rv)"},"data":{"a":"c"},"extra":1}"#
        let path = "/api/v1/namespaces/default/configmaps/c"
        let strict = await h.error("PUT", path, query: ["fieldValidation": "Strict"], body: body)
        #expect(strict == .badRequest(#"ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra""#))
        let warned = try await h.call("PUT", path, query: ["fieldValidation": "Warn"], body: body)
        #expect(warned.warnings == [#"unknown field "extra""#])
        guard case .object(let object, 200) = warned.withoutWarnings else { Issue.record("\(warned)"); return }
        #expect((object as? CoreV1.ConfigMap)?.data == ["a": "c"])
    }

    @Test(arguments: [("POST", "CreateOptions"), ("PUT", "UpdateOptions")])
    func unsupportedDirectiveIsInvalid(method: String, optionsKind: String) async throws {
        let h = try await RegistryHarness()
        let path = method == "POST" ? "/api/v1/namespaces/default/configmaps" : "/api/v1/namespaces/default/configmaps/c"
        let error = await h.error(method, path, query: ["fieldValidation": "strict"], body: #"{"metadata":{"name":"c"}}"#)
        #expect(error == .invalid(kind: optionsKind, group: "meta.k8s.io", name: "", causes: [
            .notSupported("fieldValidation", value: "strict", supported: ["", "Ignore", "Strict", "Warn"])]))
        #expect(error?.message.hasSuffix(
            #"is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn""#) == true)
    }

    @Test func warningsBecomeHeaders() throws {
        let resource = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "configmaps"))
        let object = CoreV1.ConfigMap(apiVersion: "v1", kind: "ConfigMap", metadata: MetaV1.ObjectMeta(name: "c"))
        let result = APIResult.object(object, code: 201).addingWarnings([#"unknown field "spec.foo""#, "second"])
        let response = try ResponseRenderer().render(result, resource: resource, format: .json)
        #expect(response.status.code == 201)
        #expect(response.headers[values: .init("Warning")!] == [#"299 - "unknown field \"spec.foo\"""#, #"299 - "second""#])
    }
}
