import Foundation
import Testing

/// kubectl's typed `create` commands send Kubernetes protobuf bodies
/// (`application/vnd.kubernetes.protobuf`); the server decodes them into JSON objects.
@Suite(.serialized, .e2eSlot)
struct KubectlCreateE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func typedCreateCommandsSendProtobuf() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()

        /// `kubectl create … --validate=false`, expecting success.
        func create(_ arguments: String...) throws {
            let result = try Command.run("/usr/bin/kubectl", ["--kubeconfig", server.kubeconfig.path, "create"] + arguments + ["--validate=false"],
                                         environment: ["HOME": server.dataDirectory.path])
            #expect(result.status == 0, "create \(arguments.joined(separator: " ")): \(result)")
        }

        /// `kubectl get TYPE NAME -o json`, parsed.
        func get(_ type: String, _ name: String) throws -> KubectlJSON {
            let result = try server.kubectl("get", type, name, "-o", "json")
            #expect(result.status == 0, "get \(type) \(name): \(result)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return KubectlJSON(object ?? [:])
        }

        try create("configmap", "x", "--from-literal=a=b")
        let configMap = try get("configmap", "x")
        #expect(configMap["kind"] as? String == "ConfigMap")
        #expect(configMap["data", "a"] as? String == "b")

        try create("secret", "generic", "s", "--from-literal=a=b")
        #expect(try get("secret", "s")["data", "a"] as? String == "Yg==")

        try create("namespace", "team-a")
        #expect(try get("namespace", "team-a")["metadata", "name"] as? String == "team-a")

        try create("deployment", "web", "--image=busybox", "--replicas=2")
        let deployment = try get("deployment", "web")
        #expect(deployment["apiVersion"] as? String == "apps/v1")
        #expect(deployment["spec", "replicas"] as? Int == 2)
        #expect(deployment["spec", "selector", "matchLabels", "app"] as? String == "web")
        #expect(deployment["spec", "template", "metadata", "labels", "app"] as? String == "web")
        #expect(deployment["spec", "template", "spec", "containers", 0, "image"] as? String == "busybox")
        // A zero the client set in a pointer field stays zero (not defaulted to 1).
        try create("deployment", "idle", "--image=busybox", "--replicas=0")
        #expect(try get("deployment", "idle")["spec", "replicas"] as? Int == 0)

        try create("service", "clusterip", "web", "--tcp=80:8080")
        let service = try get("service", "web")
        #expect(service["spec", "type"] as? String == "ClusterIP")
        #expect(service["spec", "ports", 0, "port"] as? Int == 80)
        #expect(service["spec", "ports", 0, "targetPort"] as? Int == 8080)

        try create("job", "once", "--image=busybox")
        let job = try get("job", "once")
        #expect(job["spec", "template", "spec", "restartPolicy"] as? String == "Never")
        #expect(job["spec", "template", "spec", "containers", 0, "image"] as? String == "busybox")

        try create("cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *")
        let cronJob = try get("cronjob", "nightly")
        #expect(cronJob["spec", "schedule"] as? String == "0 3 * * *")
        #expect(cronJob["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "image"] as? String == "busybox")

        try create("role", "reader", "--verb=get", "--verb=list", "--resource=pods")
        let role = try get("role", "reader")
        #expect(role["rules", 0, "verbs"] as? [String] == ["get", "list"])
        #expect(role["rules", 0, "resources"] as? [String] == ["pods"])

        try create("rolebinding", "reader", "--role=reader", "--user=alice")
        let binding = try get("rolebinding", "reader")
        #expect(binding["roleRef", "name"] as? String == "reader")
        #expect(binding["roleRef", "kind"] as? String == "Role")
        #expect(binding["subjects", 0, "name"] as? String == "alice")

        try create("serviceaccount", "robot")
        #expect(try get("serviceaccount", "robot")["metadata", "name"] as? String == "robot")
    }
}

/// Walks parsed JSON by keys and indices: `object["spec", "ports", 0, "port"]`.
struct KubectlJSON {
    let value: Any

    init(_ value: Any) { self.value = value }

    subscript(path: Any...) -> Any? {
        var current: Any? = value
        for step in path {
            switch step {
            case let key as String: current = (current as? [String: Any])?[key]
            case let index as Int:
                guard let array = current as? [Any], array.indices.contains(index) else { return nil }
                current = array[index]
            default: return nil
            }
        }
        return current
    }
}
