import Foundation
import Testing

/// The stock kubectl against `skiff server` for what rests on OpenAPI v3: client-side apply
/// and create with the default `--validate=strict` (kubectl finds the `fieldValidation`
/// parameter in the PATCH operation and leaves validation to the server), the other validation
/// modes, and `explain`.
@Suite(.serialized, .e2eSlot)
struct KubectlOpenAPIE2ETests {
    static let pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
          - name: c
            image: nginx
        """

    static func podWithUnknownField(_ name: String) -> String {
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \(name)\nspec:\n  foo: bar\n  containers:\n  - name: c\n    image: nginx\n"
    }

    static func write(_ text: String, _ file: String, in server: SkiffServerProcess) throws -> String {
        let url = server.dataDirectory.appendingPathComponent(file)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Whether some line holds `parts` in this order (explain separates them by tabs or spaces).
    static func hasLine(_ output: String, _ parts: String...) -> Bool {
        output.split(separator: "\n").contains { line in
            var rest = line[...]
            for part in parts {
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
            return true
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func validationApplyAndExplain() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()

        // The OpenAPI v3 index; v2 is not served (kubectl then stays on v3).
        let index = try server.kubectl("get", "--raw", "/openapi/v3")
        #expect(index.status == 0, "\(index)")
        #expect(index.stdout.contains(#""api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash="#), "\(index)")
        #expect(index.stdout.contains(#""apis/apps/v1""#), "\(index)")
        let v2 = try server.kubectl("get", "--raw", "/openapi/v2")
        #expect(v2.status != 0, "\(v2)")

        // apply with the default validation: created, then unchanged.
        let podFile = try Self.write(Self.pod, "pod.yaml", in: server)
        let apply = try server.kubectl("apply", "-f", podFile)
        #expect(apply.status == 0, "\(apply)")
        #expect(apply.stdout.contains("pod/web created"), "\(apply)")
        #expect(!apply.stderr.contains("error validating"), "\(apply)")
        let again = try server.kubectl("apply", "-f", podFile)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("pod/web unchanged"), "\(again)")
        #expect(!again.stderr.contains("warning"), "\(again)")
        let annotations = try server.kubectl("get", "pod", "web", "-o", "jsonpath={.metadata.annotations}")
        #expect(annotations.stdout.contains("kubectl.kubernetes.io/last-applied-configuration"), "\(annotations)")

        // Strict (the default): an unknown field is refused by the server.
        let strictFile = try Self.write(Self.podWithUnknownField("strict"), "strict.yaml", in: server)
        let strict = try server.kubectl("create", "-f", strictFile)
        #expect(strict.status != 0, "\(strict)")
        #expect(strict.stderr.contains(#"strict decoding error: unknown field "spec.foo""#), "\(strict)")
        #expect(try server.kubectl("get", "pod", "strict").status != 0)

        // Warn: created, the warning printed.
        let warnFile = try Self.write(Self.podWithUnknownField("warned"), "warn.yaml", in: server)
        let warn = try server.kubectl("create", "-f", warnFile, "--validate=warn")
        #expect(warn.status == 0, "\(warn)")
        #expect(warn.stdout.contains("pod/warned created"), "\(warn)")
        #expect(warn.stderr.contains(#"Warning: unknown field "spec.foo""#), "\(warn)")

        // Ignore (--validate=false): created, nothing said.
        let ignoreFile = try Self.write(Self.podWithUnknownField("ignored"), "ignore.yaml", in: server)
        let ignore = try server.kubectl("create", "-f", ignoreFile, "--validate=false")
        #expect(ignore.status == 0, "\(ignore)")
        #expect(ignore.stdout.contains("pod/ignored created"), "\(ignore)")
        #expect(!ignore.stderr.contains("unknown field"), "\(ignore)")

        // explain renders the schemas of the v3 documents.
        let pods = try server.kubectl("explain", "pods")
        #expect(pods.status == 0, "\(pods)")
        #expect(pods.stdout.contains("KIND:       Pod"), "\(pods)")
        #expect(pods.stdout.contains("VERSION:    v1"), "\(pods)")
        #expect(Self.hasLine(pods.stdout, "spec", "<PodSpec>"), "\(pods)")
        let containers = try server.kubectl("explain", "pods.spec.containers")
        #expect(containers.status == 0, "\(containers)")
        #expect(Self.hasLine(containers.stdout, "FIELD: containers", "<[]Container>"), "\(containers)")
        #expect(Self.hasLine(containers.stdout, "image", "<string>"), "\(containers)")
        #expect(Self.hasLine(containers.stdout, "name", "<string>", "-required-"), "\(containers)")
        let recursive = try server.kubectl("explain", "deployment.spec", "--recursive")
        #expect(recursive.status == 0, "\(recursive)")
        #expect(recursive.stdout.contains("GROUP:      apps"), "\(recursive)")
        #expect(Self.hasLine(recursive.stdout, "template", "<PodTemplateSpec>", "-required-"), "\(recursive)")
        #expect(Self.hasLine(recursive.stdout, "containers", "<[]Container>", "-required-"), "\(recursive)")
        let missing = try server.kubectl("explain", "pods.spec.nope")
        #expect(missing.status != 0, "\(missing)")
        #expect(missing.stderr.contains(#"field "nope" does not exist"#), "\(missing)")
    }
}
