import Foundation
import Testing

/// The stock kubectl's patching commands against `skiff server`: client-side apply (strategic
/// merge patch with `$setElementOrder` and deletions), `patch --type=json|merge|strategic`,
/// `label`, `annotate`, `set image`, `scale` (merge patch on `…/scale`) and `edit`.
@Suite(.serialized, .e2eSlot)
struct KubectlPatchE2ETests {
    static func manifest(webImage: String, env: [String]) -> String {
        let envLines = env.enumerated().map { "        - {name: \($0.element), value: \"\($0.offset)\"}" }
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: \(webImage)
                    env:
            \(envLines.joined(separator: "\n"))
                  - name: side
                    image: busybox:1
                    args: [sleep, "3600"]

            """
    }

    /// `kubectl get deployment web -o json`, parsed.
    static func deployment(_ server: SkiffServerProcess) throws -> [String: Any] {
        let get = try server.kubectl("get", "deployment", "web", "-o", "json")
        guard get.status == 0, let object = try JSONSerialization.jsonObject(with: Data(get.stdout.utf8)) as? [String: Any]
        else { throw E2EError("get failed: \(get)") }
        return object
    }

    static func containers(_ object: [String: Any]) -> [[String: Any]] {
        let spec = object["spec"] as? [String: Any]
        let template = spec?["template"] as? [String: Any]
        let podSpec = template?["spec"] as? [String: Any]
        return podSpec?["containers"] as? [[String: Any]] ?? []
    }

    static func metadata(_ object: [String: Any], _ field: String) -> [String: String] {
        (object["metadata"] as? [String: Any])?[field] as? [String: String] ?? [:]
    }

    @Test(.timeLimit(.minutes(5)))
    func kubectlPatchesObjects() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        let file = server.dataDirectory.appendingPathComponent("web.yaml")

        // Client-side apply: create, then a three-way strategic merge patch.
        try Self.manifest(webImage: "nginx:1", env: ["A", "B"]).write(to: file, atomically: true, encoding: .utf8)
        let created = try server.kubectl("apply", "-f", file.path, "--validate=false")
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("deployment.apps/web created"), "\(created)")

        try Self.manifest(webImage: "nginx:2", env: ["A"]).write(to: file, atomically: true, encoding: .utf8)
        let configured = try server.kubectl("apply", "-f", file.path, "--validate=false")
        #expect(configured.status == 0, "\(configured)\n\(server.serverLog.suffix(3000))")
        #expect(configured.stdout.contains("deployment.apps/web configured"), "\(configured)")
        var object = try Self.deployment(server)
        var containers = Self.containers(object)
        #expect(containers.map { $0["name"] as? String } == ["web", "side"], "\(containers)")
        #expect(containers.first?["image"] as? String == "nginx:2")
        #expect((containers.first?["env"] as? [[String: Any]])?.map { $0["name"] as? String } == ["A"], "\(containers)")
        #expect(containers.last?["args"] as? [String] == ["sleep", "3600"])

        let unchanged = try server.kubectl("apply", "-f", file.path, "--validate=false")
        #expect(unchanged.stdout.contains("deployment.apps/web unchanged"), "\(unchanged)")

        // kubectl patch, each type.
        let json = try server.kubectl("patch", "deployment", "web", "--type=json",
                                      "-p", #"[{"op":"replace","path":"/spec/replicas","value":3}]"#)
        #expect(json.status == 0 && json.stdout.contains("deployment.apps/web patched"), "\(json)")
        let merge = try server.kubectl("patch", "deployment", "web", "--type=merge", "-p", #"{"metadata":{"labels":{"m":"1"}}}"#)
        #expect(merge.status == 0 && merge.stdout.contains("deployment.apps/web patched"), "\(merge)")
        let strategic = try server.kubectl("patch", "deployment", "web", "--type=strategic", "-p",
                                           #"{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:2"}]}}}}"#)
        #expect(strategic.status == 0 && strategic.stdout.contains("deployment.apps/web patched"), "\(strategic)")
        let failed = try server.kubectl("patch", "deployment", "web", "--type=json",
                                        "-p", #"[{"op":"test","path":"/spec/replicas","value":9}]"#)
        #expect(failed.status != 0, "\(failed)")
        #expect(failed.stderr.contains("testing value /spec/replicas failed") || failed.stderr.contains("invalid"), "\(failed)")

        // label, annotate, set image, scale.
        let label = try server.kubectl("label", "deployment", "web", "tier=frontend")
        #expect(label.status == 0 && label.stdout.contains("deployment.apps/web labeled"), "\(label)")
        let annotate = try server.kubectl("annotate", "deployment", "web", "note=hello")
        #expect(annotate.status == 0 && annotate.stdout.contains("deployment.apps/web annotated"), "\(annotate)")
        let image = try server.kubectl("set", "image", "deployment/web", "web=nginx:3")
        #expect(image.status == 0 && image.stdout.contains("deployment.apps/web image updated"), "\(image)")
        let scale = try server.kubectl("scale", "deployment", "web", "--replicas=5")
        #expect(scale.status == 0 && scale.stdout.contains("deployment.apps/web scaled"), "\(scale)")

        object = try Self.deployment(server)
        containers = Self.containers(object)
        #expect(containers.map { $0["image"] as? String } == ["nginx:3", "busybox:2"], "\(containers)")
        #expect((object["spec"] as? [String: Any])?["replicas"] as? Int == 5)
        let labels = Self.metadata(object, "labels")
        #expect(labels["m"] == "1" && labels["tier"] == "frontend" && labels["app"] == "web", "\(labels)")
        let annotations = Self.metadata(object, "annotations")
        #expect(annotations["note"] == "hello", "\(annotations)")
        #expect(annotations["kubectl.kubernetes.io/last-applied-configuration"]?.contains("nginx:2") == true)

        // kubectl edit with a scripted editor.
        let edit = try Command.run("/usr/bin/kubectl", [
            "--kubeconfig", server.kubeconfig.path, "edit", "deployment", "web", "--validate=false",
        ], environment: ["HOME": server.dataDirectory.path, "KUBE_EDITOR": "sed -i s/nginx:3/nginx:4/"])
        #expect(edit.status == 0 && edit.stdout.contains("deployment.apps/web edited"), "\(edit)")
        object = try Self.deployment(server)
        #expect(Self.containers(object).first?["image"] as? String == "nginx:4")
    }
}
