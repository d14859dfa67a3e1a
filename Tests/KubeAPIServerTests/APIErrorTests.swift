@testable import KubeAPIServer
import Testing

/// Messages and codes as upstream's `Status` errors (k8s.io/apimachinery/pkg/api/errors).
struct APIErrorTests {
    static let pods = APIError.GroupResource(group: "", resource: "pods")
    static let deployments = APIError.GroupResource(group: "apps", resource: "deployments")

    @Test(arguments: [
        (APIError.notFound(resource: pods, name: "x"), 404, "NotFound", "pods \"x\" not found"),
        (.alreadyExists(resource: deployments, name: "web"), 409, "AlreadyExists", "deployments.apps \"web\" already exists"),
        (.conflict(resource: pods, name: "x", message: "the object has been modified; please apply your changes to the latest version and try again"),
         409, "Conflict", "Operation cannot be fulfilled on pods \"x\": the object has been modified; please apply your changes to the latest version and try again"),
        (.expired("too old resource version: 5 (10)"), 410, "Expired", "too old resource version: 5 (10)"),
        (.methodNotAllowed, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource"),
        (.unauthorized, 401, "Unauthorized", "Unauthorized"),
        (.invalid(kind: "Pod", group: "", name: "x", causes: [.required("spec.containers[0].name")]),
         422, "Invalid", "Pod \"x\" is invalid: spec.containers[0].name: Required value"),
        (.invalid(kind: "Pod", group: "", name: "x", causes: [.required("metadata.name"), .invalid("spec.restartPolicy", value: "Sometimes", "bad")]),
         422, "Invalid", "Pod \"x\" is invalid: [metadata.name: Required value, spec.restartPolicy: Invalid value: \"Sometimes\": bad]"),
        (.invalid(kind: "Deployment", group: "apps", name: "web", causes: [.invalid("spec.replicas", value: "-1", "must be greater than or equal to 0")]),
         422, "Invalid", "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: \"-1\": must be greater than or equal to 0"),
    ] as [(APIError, Int32, String, String)])
    func statusMatchesUpstream(error: APIError, code: Int32, reason: String, message: String) {
        let status = error.status
        #expect(status.code == code)
        #expect(status.reason == reason)
        #expect(status.message == message)
        #expect(status.status == "Failure")
        #expect(status.kind == "Status")
    }

    @Test func invalidCarriesFieldCauses() {
        let status = APIError.invalid(kind: "Pod", group: "", name: "x", causes: [.required("spec.containers")]).status
        #expect(status.details?.causes?.first?.field == "spec.containers")
        #expect(status.details?.causes?.first?.reason == "FieldValueRequired")
        #expect(status.details?.kind == "Pod")
        #expect(status.details?.name == "x")
    }
}
