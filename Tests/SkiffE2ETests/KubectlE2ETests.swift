import Foundation
import Testing

/// Starts the built `skiff server` and drives it with the stock kubectl over TLS.
@Suite(.serialized, .e2eSlot)
struct KubectlE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func kubectlDrivesTheServer() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()

        // Version: client and server.
        let version = try server.kubectl("version")
        #expect(version.status == 0, "\(version)")
        #expect(version.stdout.contains("Client Version:"), "\(version)")
        #expect(version.stdout.contains("Server Version: v1.36.0+skiff"), "\(version)")

        // Discovery.
        let resources = try server.kubectl("api-resources")
        #expect(resources.status == 0, "\(resources)")
        let lines = resources.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("pods ") && $0.contains(" po ") }, "\(resources)")
        #expect(lines.contains { $0.hasPrefix("deployments ") && $0.contains(" deploy ") && $0.contains("apps/v1") }, "\(resources)")
        #expect(!lines.contains { $0.hasPrefix("pods/") }, "subresources are hidden: \(resources)")

        let raw = try server.kubectl("get", "--raw", "/api/v1")
        #expect(raw.status == 0, "\(raw)")
        #expect(raw.stdout.contains(#""kind":"APIResourceList""#), "\(raw)")
        #expect(raw.stdout.contains(#""name":"pods/log""#), "\(raw)")

        // No credentials → 401 Status.
        let anonymous = try Command.run("/usr/bin/curl", ["-sk", "-w", "\n%{http_code}", "\(server.baseURL)/api/v1/namespaces"])
        #expect(anonymous.stdout.hasSuffix("\n401"), "\(anonymous)")
        #expect(anonymous.stdout.contains(#""reason":"Unauthorized""#), "\(anonymous)")

        // The default namespaces exist; no pods yet.
        let namespaces = try server.kubectl("get", "ns")
        #expect(namespaces.status == 0, "\(namespaces)")
        #expect(namespaces.stdout.contains("default"), "\(namespaces)")
        #expect(namespaces.stdout.contains("kube-system"), "\(namespaces)")

        let pods = try server.kubectl("get", "pods")
        #expect(pods.status == 0, "\(pods)")
        #expect(pods.stderr.contains("No resources found in default namespace."), "\(pods)")

        // A ConfigMap's life: create, read back, table, delete, gone.
        // `kubectl create configmap` posts a protobuf body (decoded into JSON by the server).
        let generated = try server.kubectl("create", "configmap", "generated", "--from-literal=a=b")
        #expect(generated.status == 0, "\(generated)")
        // A manifest goes as JSON, validated by the server (kubectl finds fieldValidation in OpenAPI v3).
        let manifest = server.dataDirectory.appendingPathComponent("cm.yaml")
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n"
            .write(to: manifest, atomically: true, encoding: .utf8)
        let create = try server.kubectl("create", "-f", manifest.path)
        #expect(create.status == 0, "\(create)")
        #expect(create.stdout.contains("configmap/c created"), "\(create)")

        let yaml = try server.kubectl("get", "cm", "c", "-o", "yaml")
        #expect(yaml.status == 0, "\(yaml)")
        #expect(yaml.stdout.contains("kind: ConfigMap"), "\(yaml)")
        #expect(yaml.stdout.contains("a: b"), "\(yaml)")

        let table = try server.kubectl("get", "cm")
        #expect(table.status == 0, "\(table)")
        let header = table.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.hasPrefix("NAME") && header.contains("AGE"), "\(table)")
        #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("c ") }, "\(table)")

        let delete = try server.kubectl("delete", "cm", "c")
        #expect(delete.status == 0, "\(delete)")
        #expect(delete.stdout.contains("configmap \"c\" deleted"), "\(delete)")

        let gone = try server.kubectl("get", "cm", "c")
        #expect(gone.status == 1, "\(gone)")
        #expect(gone.stderr.contains("NotFound") || gone.stderr.contains("not found"), "\(gone)")
    }
}
