import Foundation
import KubeAPIServer
import Testing

@Suite struct KubeconfigTests {
    @Test func rendersTheStandardShape() throws {
        let text = Kubeconfig.render(
            server: "https://127.0.0.1:6443", certificateAuthorityPEM: "CA", clientCertificatePEM: "CERT",
            clientKeyPEM: "KEY")
        #expect(text == """
            apiVersion: v1
            kind: Config
            clusters:
            - name: "skiff"
              cluster:
                server: "https://127.0.0.1:6443"
                certificate-authority-data: Q0E=
            users:
            - name: "skiff-admin"
              user:
                client-certificate-data: Q0VSVA==
                client-key-data: S0VZ
            contexts:
            - name: "skiff"
              context:
                cluster: "skiff"
                user: "skiff-admin"
            current-context: "skiff"
            preferences: {}

            """)
    }

    @Test func writesAdminKubeconfigWithMode0600() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url)
        let file = try Kubeconfig.writeAdmin(to: temp.url, pki: pki)
        #expect(file == temp.url.appendingPathComponent("kubeconfig.yaml"))
        #expect(try posixMode(file) == 0o600)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("certificate-authority-data: \(Data(pki.caCertificatePEM.utf8).base64EncodedString())"))
    }

    /// kubectl itself parses the file (`config view` never contacts a server).
    @Test(.enabled(if: ExternalTool.isInstalled(ExternalTool.kubectl)), .timeLimit(.minutes(2)))
    func kubectlReadsTheKubeconfig() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url)
        let file = try Kubeconfig.writeAdmin(to: temp.url, server: "https://127.0.0.1:6443", pki: pki)

        func view(_ jsonpath: String) throws -> String {
            let result = try ExternalTool.run(
                ExternalTool.kubectl, ["config", "view", "--kubeconfig", file.path, "--raw", "-o", "jsonpath=\(jsonpath)"],
                timeout: 60, environment: ["HOME": temp.url.path])
            #expect(result.status == 0, "\(result.error)")
            return result.output
        }
        #expect(try view("{.current-context}") == "skiff")
        #expect(try view("{.clusters[0].name}") == "skiff")
        #expect(try view("{.clusters[0].cluster.server}") == "https://127.0.0.1:6443")
        #expect(try view("{.contexts[0].context.cluster}/{.contexts[0].context.user}") == "skiff/skiff-admin")
        #expect(try view("{.users[0].name}") == "skiff-admin")
        let caData = try view("{.clusters[0].cluster.certificate-authority-data}")
        #expect(Data(base64Encoded: caData).map { String(decoding: $0, as: UTF8.self) } == pki.caCertificatePEM)
        let certData = try view("{.users[0].user.client-certificate-data}")
        #expect(Data(base64Encoded: certData).map { String(decoding: $0, as: UTF8.self) } == pki.admin.certificatePEM)
        let keyData = try view("{.users[0].user.client-key-data}")
        #expect(Data(base64Encoded: keyData).map { String(decoding: $0, as: UTF8.self) } == pki.admin.privateKeyPEM)
    }

    /// Go's crypto/tls (inside kubectl) accepts the serving certificate for 127.0.0.1 and
    /// presents the admin certificate and key, which OpenSSL's server verifies against the CA.
    /// `openssl s_server -www` answers any request with a status page, so a raw GET succeeds.
    @Test(.enabled(if: ExternalTool.isInstalled(ExternalTool.kubectl) && ExternalTool.isInstalled(ExternalTool.openssl)),
          .timeLimit(.minutes(2)))
    func kubectlCompletesMutualTLSWithTheCredentials() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url)
        let port = try freeLoopbackPort()
        let file = try Kubeconfig.writeAdmin(to: temp.url, server: "https://127.0.0.1:\(port)", pki: pki)
        let server = try ExternalTool.start(ExternalTool.openssl, [
            "s_server", "-accept", "127.0.0.1:\(port)", "-www",
            "-cert", pki.files(.serving).certificate.path, "-key", pki.files(.serving).key.path,
            "-CAfile", pki.files(.certificateAuthority).certificate.path, "-Verify", "1", "-verify_return_error",
        ])
        defer { server.stop(); _ = server.finish() }

        var result = ToolResult(status: -1, output: "", error: "", timedOut: false)
        for _ in 0..<20 {
            result = try ExternalTool.run(
                ExternalTool.kubectl, ["--kubeconfig", file.path, "get", "--raw", "/", "--request-timeout=10s"],
                timeout: 60, environment: ["HOME": temp.url.path])
            if !result.error.contains("connection refused") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("s_server"), "\(result.output)")
    }
}
