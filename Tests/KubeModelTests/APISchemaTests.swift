import Testing
@testable import KubeModel

@Suite struct APISchemaTests {
    let schema = APISchema.builtIn

    @Test func findsKindsByGroupVersionKind() throws {
        #expect(schema.definitionName(for: GroupVersionKind(group: "", version: "v1", kind: "Pod")) == "io.k8s.api.core.v1.Pod")
        #expect(schema.definitionName(for: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")) == "io.k8s.api.apps.v1.Deployment")
        #expect(schema.definitionName(for: GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition"))
            == "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition")
    }

    /// The patch metadata kubectl's strategic merge patches rely on (from the schema's
    /// `x-kubernetes-patch-*` extensions).
    @Test(arguments: [
        ("io.k8s.api.core.v1.PodSpec", "containers", ["merge"], "name"),
        ("io.k8s.api.core.v1.PodSpec", "volumes", ["merge", "retainKeys"], "name"),
        ("io.k8s.api.core.v1.Container", "ports", ["merge"], "containerPort"),
        ("io.k8s.api.core.v1.Container", "env", ["merge"], "name"),
        ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences", ["merge"], "uid"),
        ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers", ["merge"], nil),
        ("io.k8s.api.core.v1.Container", "args", [], nil),
    ] as [(String, String, [String], String?)])
    func exposesPatchMetadata(_ definition: String, _ field: String, _ strategies: [String], _ mergeKey: String?) throws {
        let node = try #require(schema.definitions[definition])
        let fieldNode = try #require(schema.field(field, of: node))
        #expect(fieldNode.patchStrategies == strategies)
        #expect(fieldNode.patchMergeKey == mergeKey)
    }

    @Test func resolvesReferencesAndMaps() throws {
        let pod = try #require(schema.schema(for: GroupVersionKind(group: "", version: "v1", kind: "Pod")))
        let spec = schema.resolve(try #require(pod.properties["spec"]))
        #expect(spec.declaresFields)
        let containers = try #require(spec.properties["containers"])
        #expect(containers.listType == "map" && containers.listMapKeys == ["name"])
        let container = schema.resolve(try #require(containers.items))
        #expect(container.required == ["name"])
        let meta = schema.resolve(try #require(pod.properties["metadata"]))
        let labels = try #require(meta.properties["labels"])
        #expect(labels.type == "object" && labels.additionalProperties?.type == "string")
        let port = schema.resolve(try #require(schema.definitions["io.k8s.api.core.v1.ServicePort"]))
        #expect(schema.resolve(try #require(port.properties["targetPort"])).isIntOrString)
    }
}
