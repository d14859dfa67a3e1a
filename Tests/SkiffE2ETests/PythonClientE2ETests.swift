import Foundation
import Testing

/// A second client: the official Python client (`kubernetes` from PyPI) lists, creates, patches
/// and watches against a real `skiff server`. scripts/test.sh installs it into `.build-venv`.
@Suite(.serialized, .e2eSlot)
struct PythonClientE2ETests {
    /// `SKIFF_PYTHON`, else the virtual environment scripts/test.sh prepares.
    static var python: String? {
        if let override = ProcessInfo.processInfo.environment["SKIFF_PYTHON"] { return override }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let venv = packageRoot.appendingPathComponent(".build-venv/bin/python3").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    static let script = #"""
    import sys, json
    from kubernetes import client, config, watch
    config.load_kube_config(config_file=sys.argv[1])
    core = client.CoreV1Api()
    apps = client.AppsV1Api()
    out = {}
    out["namespaces"] = sorted(ns.metadata.name for ns in core.list_namespace().items)
    cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-config", labels={"app": "py"}), data={"a": "1"})
    created = core.create_namespaced_config_map("default", cm)
    out["created_rv"] = bool(created.metadata.resource_version)
    patched = core.patch_namespaced_config_map("py-config", "default", {"data": {"b": "2"}})
    out["patched_data"] = patched.data
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="py-web"),
        spec=client.V1DeploymentSpec(
            replicas=2,
            selector=client.V1LabelSelector(match_labels={"app": "py-web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "py-web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="busybox:1.36")]))))
    made = apps.create_namespaced_deployment("default", dep)
    out["deployment_strategy"] = made.spec.strategy.type
    scaled = apps.patch_namespaced_deployment_scale("py-web", "default", {"spec": {"replicas": 3}})
    out["scaled"] = scaled.spec.replicas
    listed = core.list_namespaced_config_map("default", label_selector="app=py")
    out["listed"] = [c.metadata.name for c in listed.items]
    core.delete_namespaced_config_map("py-config", "default")
    # A watch from the list's resourceVersion replays what happened since: the delete.
    w = watch.Watch()
    events = []
    for event in w.stream(core.list_namespaced_config_map, "default", label_selector="app=py",
                          resource_version=listed.metadata.resource_version, timeout_seconds=10):
        events.append(event["type"])
        if event["type"] == "DELETED":
            w.stop()
    out["watch"] = events
    print(json.dumps(out))
    """#

    @Test(.timeLimit(.minutes(3)))
    func pythonClientListsCreatesPatchesAndWatches() async throws {
        guard let python = Self.python else {
            Issue.record("the Python client is not installed: run scripts/test.sh (it creates .build-venv) or set SKIFF_PYTHON")
            return
        }
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        let scriptFile = server.dataDirectory.appendingPathComponent("client.py")
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
        let result = try Command.run(python, [scriptFile.path, server.kubeconfig.path], environment: ["HOME": server.dataDirectory.path])
        #expect(result.status == 0, "\(result)\n\(server.serverLog)")
        let output = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((output["namespaces"] as? [String])?.contains("kube-system") == true, "\(result)")
        #expect(output["created_rv"] as? Bool == true)
        #expect(output["patched_data"] as? [String: String] == ["a": "1", "b": "2"], "\(result)")
        #expect(output["deployment_strategy"] as? String == "RollingUpdate", "\(result)")
        #expect(output["scaled"] as? Int == 3, "\(result)")
        #expect(output["listed"] as? [String] == ["py-config"], "\(result)")
        #expect(output["watch"] as? [String] == ["DELETED"], "\(result)")
    }
}
