@testable import KubeAPIServer
import Testing

/// Cases from upstream's request-info factory behaviour.
struct RequestInfoTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: String
        var path: String
        var watch = false
        var verb: String
        var group = ""
        var version = "v1"
        var namespace = ""
        var resource = ""
        var name = ""
        var subresource = ""
        var testDescription: String { "\(method) \(path)\(watch ? "?watch=true" : "")" }
    }

    static let resourceCases: [Case] = [
        Case(method: "GET", path: "/api/v1/namespaces", verb: "list", resource: "namespaces"),
        Case(method: "GET", path: "/api/v1/namespaces/other", verb: "get", namespace: "other", resource: "namespaces", name: "other"),
        Case(method: "GET", path: "/api/v1/namespaces/other/pods", verb: "list", namespace: "other", resource: "pods"),
        Case(method: "GET", path: "/api/v1/namespaces/other/pods/foo", verb: "get", namespace: "other", resource: "pods", name: "foo"),
        Case(method: "HEAD", path: "/api/v1/namespaces/other/pods/foo", verb: "get", namespace: "other", resource: "pods", name: "foo"),
        Case(method: "GET", path: "/api/v1/pods", verb: "list", resource: "pods"),
        Case(method: "GET", path: "/api/v1/pods", watch: true, verb: "watch", resource: "pods"),
        Case(method: "GET", path: "/api/v1/watch/pods", verb: "watch", resource: "pods"),
        Case(method: "GET", path: "/api/v1/watch/namespaces/other/pods", verb: "watch", namespace: "other", resource: "pods"),
        Case(method: "GET", path: "/api/v1/namespaces/other/pods/foo/log", verb: "get", namespace: "other", resource: "pods", name: "foo", subresource: "log"),
        Case(method: "POST", path: "/api/v1/namespaces/other/pods", verb: "create", namespace: "other", resource: "pods"),
        Case(method: "POST", path: "/api/v1/namespaces/other/pods/foo/binding", verb: "create", namespace: "other", resource: "pods", name: "foo", subresource: "binding"),
        Case(method: "PUT", path: "/api/v1/namespaces/other/pods/foo", verb: "update", namespace: "other", resource: "pods", name: "foo"),
        Case(method: "PATCH", path: "/api/v1/namespaces/other/pods/foo", verb: "patch", namespace: "other", resource: "pods", name: "foo"),
        Case(method: "DELETE", path: "/api/v1/namespaces/other/pods/foo", verb: "delete", namespace: "other", resource: "pods", name: "foo"),
        Case(method: "DELETE", path: "/api/v1/namespaces/other/pods", verb: "deletecollection", namespace: "other", resource: "pods"),
        Case(method: "PUT", path: "/api/v1/namespaces/other/finalize", verb: "update", namespace: "other", resource: "namespaces", name: "other", subresource: "finalize"),
        Case(method: "PUT", path: "/api/v1/namespaces/other/status", verb: "update", namespace: "other", resource: "namespaces", name: "other", subresource: "status"),
        Case(method: "GET", path: "/apis/apps/v1/namespaces/other/deployments/web/scale", verb: "get", group: "apps", namespace: "other", resource: "deployments", name: "web", subresource: "scale"),
        Case(method: "GET", path: "/apis/apps/v1/deployments", verb: "list", group: "apps", resource: "deployments"),
        Case(method: "GET", path: "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", verb: "get", group: "rbac.authorization.k8s.io", resource: "clusterroles", name: "admin"),
        Case(method: "GET", path: "/apis/autoscaling/v2/watch/namespaces/a/horizontalpodautoscalers", verb: "watch", group: "autoscaling", version: "v2", namespace: "a", resource: "horizontalpodautoscalers"),
    ]

    @Test(arguments: resourceCases)
    func parsesResourceRequests(_ c: Case) {
        let info = RequestInfo(method: c.method, path: c.path, watch: c.watch)
        #expect(info.isResourceRequest)
        #expect(info.verb == c.verb)
        #expect(info.apiGroup == c.group)
        #expect(info.apiVersion == c.version)
        #expect(info.namespace == c.namespace)
        #expect(info.resource == c.resource)
        #expect(info.name == c.name)
        #expect(info.subresource == c.subresource)
    }

    @Test(arguments: ["/", "/api", "/apis", "/api/v1", "/apis/apps", "/apis/apps/v1", "/healthz", "/version", "/openapi/v3", "/readyz"])
    func nonResourcePaths(_ path: String) {
        let info = RequestInfo(method: "GET", path: path)
        #expect(!info.isResourceRequest)
        #expect(info.verb == "get")
    }

    @Test func groupVersionOfDiscoveryPaths() {
        let info = RequestInfo(method: "GET", path: "/apis/apps/v1")
        #expect(info.apiGroup == "apps")
        #expect(info.apiVersion == "v1")
    }
}
