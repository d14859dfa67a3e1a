import Testing
@testable import KubeModel
@testable import KubeModelGenerator

private let catalog = KubeResourceCatalog.builtIn

private func gvr(_ s: String) -> GroupVersionResource {
    // "group/version/resource", group may be empty: "/v1/pods".
    let p = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    return GroupVersionResource(group: p[0], version: p[1], resource: p[2])
}

@Suite struct ResourceCatalogTests {
    // MARK: kubectl-style resolution (short names per upstream's registry ShortNames())

    @Test(arguments: [
        ("po", "/v1/pods"), ("pods", "/v1/pods"), ("pod", "/v1/pods"), ("Pod", "/v1/pods"), ("PODS", "/v1/pods"),
        ("svc", "/v1/services"), ("cm", "/v1/configmaps"), ("ns", "/v1/namespaces"), ("no", "/v1/nodes"),
        ("pvc", "/v1/persistentvolumeclaims"), ("pv", "/v1/persistentvolumes"), ("sa", "/v1/serviceaccounts"),
        ("ep", "/v1/endpoints"), ("ev", "/v1/events"), ("events", "/v1/events"), ("rc", "/v1/replicationcontrollers"),
        ("limits", "/v1/limitranges"), ("quota", "/v1/resourcequotas"), ("cs", "/v1/componentstatuses"),
        ("deploy", "apps/v1/deployments"), ("deployments.apps", "apps/v1/deployments"),
        ("deployments.v1.apps", "apps/v1/deployments"), ("deploy.apps", "apps/v1/deployments"),
        ("Deployment", "apps/v1/deployments"), ("Deployment.apps", "apps/v1/deployments"),
        ("deployment.v1.apps", "apps/v1/deployments"), ("rs", "apps/v1/replicasets"),
        ("sts", "apps/v1/statefulsets"), ("ds", "apps/v1/daemonsets"), ("controllerrevisions", "apps/v1/controllerrevisions"),
        ("cj", "batch/v1/cronjobs"), ("jobs", "batch/v1/jobs"), ("job", "batch/v1/jobs"),
        ("hpa", "autoscaling/v2/horizontalpodautoscalers"),
        ("hpa.v1.autoscaling", "autoscaling/v1/horizontalpodautoscalers"),
        ("horizontalpodautoscalers.v2.autoscaling", "autoscaling/v2/horizontalpodautoscalers"),
        ("ing", "networking.k8s.io/v1/ingresses"), ("netpol", "networking.k8s.io/v1/networkpolicies"),
        ("ip", "networking.k8s.io/v1/ipaddresses"), ("ingressclasses", "networking.k8s.io/v1/ingressclasses"),
        ("pdb", "policy/v1/poddisruptionbudgets"), ("pc", "scheduling.k8s.io/v1/priorityclasses"),
        ("sc", "storage.k8s.io/v1/storageclasses"), ("vac", "storage.k8s.io/v1/volumeattributesclasses"),
        ("csr", "certificates.k8s.io/v1/certificatesigningrequests"),
        ("crd", "apiextensions.k8s.io/v1/customresourcedefinitions"),
        ("crds", "apiextensions.k8s.io/v1/customresourcedefinitions"),
        ("CustomResourceDefinition", "apiextensions.k8s.io/v1/customresourcedefinitions"),
        ("ev.events.k8s.io", "events.k8s.io/v1/events"), ("events.v1.events.k8s.io", "events.k8s.io/v1/events"),
        ("leases", "coordination.k8s.io/v1/leases"), ("endpointslices", "discovery.k8s.io/v1/endpointslices"),
        ("clusterroles", "rbac.authorization.k8s.io/v1/clusterroles"), ("roles.rbac.authorization.k8s.io", "rbac.authorization.k8s.io/v1/roles"),
        ("flowschemas", "flowcontrol.apiserver.k8s.io/v1/flowschemas"), ("runtimeclass", "node.k8s.io/v1/runtimeclasses"),
        ("tokenreviews", "authentication.k8s.io/v1/tokenreviews"),
        ("validatingwebhookconfigurations", "admissionregistration.k8s.io/v1/validatingwebhookconfigurations"),
    ])
    func resolves(_ argument: String, _ expected: String) {
        #expect(catalog.resource(named: argument)?.groupVersionResource == gvr(expected))
    }

    @Test(arguments: ["", "nonsense", "deploy.batch", "pods.apps", "deployments.v2.apps", "scale", "Scale", "podexecoptions", "."])
    func doesNotResolve(_ argument: String) {
        #expect(catalog.resolve(argument).isEmpty)
    }

    @Test func ambiguousNamesListEveryCandidatePreferredFirst() {
        #expect(catalog.resolve("hpa").map(\.version) == ["v2", "v1"])
        #expect(catalog.resolve("ev").map(\.group) == ["", "events.k8s.io"])
        #expect(catalog.resolve("Event").map(\.group) == ["", "events.k8s.io"])
    }

    // MARK: Scope, verbs, subresources (from the schema's paths)

    @Test(arguments: ["/v1/pods", "/v1/services", "/v1/bindings", "apps/v1/deployments", "batch/v1/jobs",
                      "events.k8s.io/v1/events", "authorization.k8s.io/v1/localsubjectaccessreviews",
                      "rbac.authorization.k8s.io/v1/roles", "storage.k8s.io/v1/csistoragecapacities",
                      "coordination.k8s.io/v1/leases", "discovery.k8s.io/v1/endpointslices"])
    func namespaced(_ r: String) throws {
        #expect(try #require(catalog.resource(gvr(r))).namespaced)
    }

    @Test(arguments: ["/v1/nodes", "/v1/namespaces", "/v1/persistentvolumes", "/v1/componentstatuses",
                      "rbac.authorization.k8s.io/v1/clusterroles", "storage.k8s.io/v1/storageclasses",
                      "apiextensions.k8s.io/v1/customresourcedefinitions", "scheduling.k8s.io/v1/priorityclasses",
                      "authorization.k8s.io/v1/subjectaccessreviews", "certificates.k8s.io/v1/certificatesigningrequests",
                      "networking.k8s.io/v1/ingressclasses", "admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"])
    func clusterScoped(_ r: String) throws {
        #expect(try !#require(catalog.resource(gvr(r))).namespaced)
    }

    @Test(arguments: [
        ("/v1/pods", "create,delete,deletecollection,get,list,patch,update,watch"),
        ("/v1/namespaces", "create,delete,get,list,patch,update,watch"),
        ("/v1/componentstatuses", "get,list"),
        ("/v1/bindings", "create"),
        ("authentication.k8s.io/v1/tokenreviews", "create"),
        ("authorization.k8s.io/v1/selfsubjectrulesreviews", "create"),
        ("apps/v1/deployments", "create,delete,deletecollection,get,list,patch,update,watch"),
    ])
    func verbs(_ r: String, _ verbs: String) throws {
        #expect(try #require(catalog.resource(gvr(r))).verbs == verbs.split(separator: ",").map(String.init))
    }

    @Test(arguments: [
        ("apps/v1/deployments", "scale", "autoscaling", "v1", "Scale", "get,patch,update"),
        ("apps/v1/statefulsets", "scale", "autoscaling", "v1", "Scale", "get,patch,update"),
        ("apps/v1/replicasets", "status", "apps", "v1", "ReplicaSet", "get,patch,update"),
        ("/v1/replicationcontrollers", "scale", "autoscaling", "v1", "Scale", "get,patch,update"),
        ("/v1/pods", "eviction", "policy", "v1", "Eviction", "create"),
        ("/v1/pods", "binding", "", "v1", "Binding", "create"),
        ("/v1/pods", "log", "", "v1", "Pod", "get"),
        ("/v1/pods", "exec", "", "v1", "PodExecOptions", "create,get"),
        ("/v1/pods", "attach", "", "v1", "PodAttachOptions", "create,get"),
        ("/v1/pods", "portforward", "", "v1", "PodPortForwardOptions", "create,get"),
        ("/v1/pods", "proxy", "", "v1", "PodProxyOptions", "create,delete,get,patch,update"),
        ("/v1/pods", "ephemeralcontainers", "", "v1", "Pod", "get,patch,update"),
        ("/v1/pods", "resize", "", "v1", "Pod", "get,patch,update"),
        ("/v1/nodes", "proxy", "", "v1", "NodeProxyOptions", "create,delete,get,patch,update"),
        ("/v1/services", "proxy", "", "v1", "ServiceProxyOptions", "create,delete,get,patch,update"),
        ("/v1/serviceaccounts", "token", "authentication.k8s.io", "v1", "TokenRequest", "create"),
        ("/v1/namespaces", "finalize", "", "v1", "Namespace", "update"),
        ("certificates.k8s.io/v1/certificatesigningrequests", "approval", "certificates.k8s.io", "v1",
         "CertificateSigningRequest", "get,patch,update"),
        ("apiextensions.k8s.io/v1/customresourcedefinitions", "status", "apiextensions.k8s.io", "v1",
         "CustomResourceDefinition", "get,patch,update"),
    ])
    func subresource(_ r: String, _ name: String, _ group: String, _ version: String, _ kind: String, _ verbs: String) throws {
        let sub = try #require(catalog.resource(gvr(r))?.subresource(name))
        #expect(sub.groupVersionKind == GroupVersionKind(group: group, version: version, kind: kind))
        #expect(sub.verbs == verbs.split(separator: ",").map(String.init))
    }

    @Test func podSubresourcesAreExactlyUpstreams() throws {
        let pods = try #require(catalog.resource(group: "", version: "v1", resource: "pods"))
        #expect(pods.subresources.map(\.name) == ["attach", "binding", "ephemeralcontainers", "eviction", "exec",
                                                  "log", "portforward", "proxy", "resize", "status"])
        #expect(catalog.resource(group: "", version: "v1", resource: "configmaps")?.subresources == [])
    }

    // MARK: Categories, groups, order

    @Test func allCategory() {
        #expect(catalog.resources(inCategory: "all").map(\.groupResource) == [
            "pods", "replicationcontrollers", "services",
            "daemonsets.apps", "deployments.apps", "replicasets.apps", "statefulsets.apps",
            "horizontalpodautoscalers.autoscaling", "cronjobs.batch", "jobs.batch",
        ])
        #expect(catalog.resources(inCategory: "all").first { $0.resource == "horizontalpodautoscalers" }?.version == "v2")
    }

    @Test func apiExtensionsCategory() {
        #expect(Set(catalog.resources(inCategory: "api-extensions").map(\.resource)) == [
            "customresourcedefinitions", "mutatingadmissionpolicies", "mutatingadmissionpolicybindings",
            "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings",
            "validatingwebhookconfigurations",
        ])
    }

    @Test(arguments: [
        ("", "v1"), ("apps", "v1"), ("batch", "v1"), ("autoscaling", "v2"), ("networking.k8s.io", "v1"), ("policy", "v1"),
        ("rbac.authorization.k8s.io", "v1"), ("coordination.k8s.io", "v1"), ("discovery.k8s.io", "v1"),
        ("events.k8s.io", "v1"), ("storage.k8s.io", "v1"), ("scheduling.k8s.io", "v1"), ("node.k8s.io", "v1"),
        ("apiextensions.k8s.io", "v1"), ("admissionregistration.k8s.io", "v1"), ("authentication.k8s.io", "v1"),
        ("authorization.k8s.io", "v1"), ("certificates.k8s.io", "v1"), ("flowcontrol.apiserver.k8s.io", "v1"),
    ])
    func preferredVersion(_ group: String, _ version: String) {
        #expect(catalog.preferredVersion(ofGroup: group) == version)
    }

    @Test func groupsInDiscoveryOrder() {
        #expect(catalog.groups.count == 19)
        #expect(catalog.groups.first?.name == "")
        #expect(catalog.groups.map(\.priority) == catalog.groups.map(\.priority).sorted(by: >))
        #expect(catalog.group(named: "autoscaling")?.versions == ["v2", "v1"])
        #expect(catalog.serves(group: "autoscaling", version: "v1") && !catalog.serves(group: "batch", version: "v1beta1"))
        #expect(catalog.resources(group: "", version: "v1").map(\.resource) == [
            "bindings", "componentstatuses", "configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes",
            "persistentvolumeclaims", "persistentvolumes", "pods", "podtemplates", "replicationcontrollers",
            "resourcequotas", "secrets", "serviceaccounts", "services",
        ])
    }

    // MARK: Swift types and invariants

    @Test func everyKindIsARegisteredGeneratedType() throws {
        let objects = Set(KubeModelRegistry.objectTypes.map(ObjectIdentifier.init))
        let lists = Set(KubeModelRegistry.listTypes.map(ObjectIdentifier.init))
        for r in catalog.resources {
            #expect(objects.contains(ObjectIdentifier(r.type)), "\(r)")
            #expect(r.type.groupVersionKind == r.groupVersionKind, "\(r)")
            #expect(r.singularName == r.kind.lowercased(), "\(r)")
            if let list = r.listType {
                #expect(lists.contains(ObjectIdentifier(list)), "\(r)")
                #expect(list.groupVersionKind == GroupVersionKind(group: r.group, version: r.version, kind: r.kind + "List"))
            } else {
                #expect(!r.supports(KubeVerb.list), "\(r) lists without a list type")
            }
        }
    }

    @Test func lookupsByGVRAndGVKAgree() throws {
        #expect(Set(catalog.resources.map(\.groupVersionResource)).count == catalog.resources.count)
        for r in catalog.resources {
            #expect(catalog.resource(r.groupVersionResource) == r)
            #expect(catalog.resource(for: r.groupVersionKind) == r)
        }
        #expect(catalog.resource(for: AppsV1.Deployment.self)?.resource == "deployments")
        #expect(catalog.resource(for: AutoscalingV2.HorizontalPodAutoscaler.self)?.version == "v2")
        #expect(catalog.resource(for: GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale")) == nil)
    }

    @Test func shortNamesAreUnambiguousExceptEvents() {
        var owners: [String: Set<String>] = [:]
        for r in catalog.resources { for s in r.shortNames { owners[s, default: []].insert(r.groupResource) } }
        #expect(owners.filter { $0.value.count > 1 }.keys.sorted() == ["ev"])
    }

    @Test func collectionPaths() throws {
        let pods = try #require(catalog.resource(named: "po"))
        #expect(pods.collectionPath(namespace: "kube-system") == "/api/v1/namespaces/kube-system/pods")
        #expect(pods.collectionPath() == "/api/v1/pods")
        let crds = try #require(catalog.resource(named: "crd"))
        #expect(crds.collectionPath(namespace: "ignored") == "/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
    }

    // MARK: Generator pieces

    @Test(arguments: [
        ("get", "get", "get"), ("list", "get", "list"), ("watch", "get", "watch"), ("watchlist", "get", "watch"),
        ("post", "post", "create"), ("put", "put", "update"), ("patch", "patch", "patch"), ("delete", "delete", "delete"),
        ("deletecollection", "delete", "deletecollection"), ("connect", "get", "get"), ("connect", "post", "create"),
        ("connect", "put", "update"), ("connect", "patch", "patch"), ("connect", "delete", "delete"),
    ])
    func discoveryVerb(_ action: String, _ method: String, _ verb: String) {
        #expect(ResourcePlanner.discoveryVerb(action: action, method: method) == verb)
    }

    @Test(arguments: [("connect", "head"), ("connect", "options"), ("frobnicate", "get")])
    func unlistedVerbs(_ action: String, _ method: String) {
        #expect(ResourcePlanner.discoveryVerb(action: action, method: method) == nil)
    }

    @Test func versionOrder() {
        let sorted = ["v1beta1", "v1", "v1alpha1", "v2", "v2beta2", "v1beta2", "v2alpha1"].sorted(by: ResourceNames.versionPrecedes)
        #expect(sorted == ["v2", "v1", "v2beta2", "v1beta2", "v1beta1", "v2alpha1", "v1alpha1"])
    }
}
