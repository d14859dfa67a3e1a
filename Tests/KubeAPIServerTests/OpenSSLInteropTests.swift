import Foundation
import KubeAPIServer
import Testing

/// The certificates checked by an independent X.509 implementation: OpenSSL verifies the
/// chains and purposes, prints the SANs, and completes a mutual-TLS handshake with them.
@Suite(.enabled(if: ExternalTool.isInstalled(ExternalTool.openssl)))
struct OpenSSLInteropTests {
    @Test func opensslVerifiesChainsAndPurposes() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url, hostnames: ["node-a"], ipAddresses: ["192.0.2.10"])
        let ca = pki.files(.certificateAuthority).certificate.path
        let serving = pki.files(.serving).certificate.path
        let admin = pki.files(.admin).certificate.path

        let both = try ExternalTool.run(ExternalTool.openssl, ["verify", "-CAfile", ca, serving, admin])
        #expect(both.status == 0, "\(both.output)\(both.error)")
        #expect(both.output.contains("\(serving): OK"))
        #expect(both.output.contains("\(admin): OK"))

        let server = try ExternalTool.run(ExternalTool.openssl, ["verify", "-purpose", "sslserver", "-CAfile", ca, serving])
        #expect(server.status == 0, "\(server.error)")
        let client = try ExternalTool.run(ExternalTool.openssl, ["verify", "-purpose", "sslclient", "-CAfile", ca, admin])
        #expect(client.status == 0, "\(client.error)")
        let wrongPurpose = try ExternalTool.run(ExternalTool.openssl, ["verify", "-purpose", "sslclient", "-CAfile", ca, serving])
        #expect(wrongPurpose.status != 0)

        let foreign = try TemporaryDirectory()
        defer { foreign.remove() }
        let other = try ClusterPKI.loadOrCreate(directory: foreign.url)
        let rejected = try ExternalTool.run(
            ExternalTool.openssl, ["verify", "-CAfile", other.files(.certificateAuthority).certificate.path, admin])
        #expect(rejected.status != 0)
    }

    @Test func opensslSeesTheExtensions() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url, hostnames: ["node-a"], ipAddresses: ["192.0.2.10"])
        let sans = try ExternalTool.run(
            ExternalTool.openssl, ["x509", "-noout", "-ext", "subjectAltName", "-in", pki.files(.serving).certificate.path])
        #expect(sans.status == 0, "\(sans.error)")
        for expected in [
            "DNS:localhost", "DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc",
            "DNS:kubernetes.default.svc.cluster.local", "DNS:node-a",
            "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1", "IP Address:192.0.2.10", "IP Address:10.43.0.1",
        ] {
            #expect(sans.output.contains(expected), "\(expected) missing from \(sans.output)")
        }

        let ca = try ExternalTool.run(
            ExternalTool.openssl,
            ["x509", "-noout", "-subject", "-ext", "basicConstraints,keyUsage", "-in", pki.files(.certificateAuthority).certificate.path])
        #expect(ca.output.contains("CN = skiff-ca"), "\(ca.output)")
        #expect(ca.output.contains("X509v3 Basic Constraints: critical"), "\(ca.output)")
        #expect(ca.output.contains("CA:TRUE"))
        #expect(ca.output.contains("Digital Signature, Certificate Sign, CRL Sign"), "\(ca.output)")

        let admin = try ExternalTool.run(
            ExternalTool.openssl, ["x509", "-noout", "-subject", "-ext", "extendedKeyUsage", "-in", pki.files(.admin).certificate.path])
        #expect(admin.output.contains("O = system:masters, CN = system:admin"), "\(admin.output)")
        #expect(admin.output.contains("TLS Web Client Authentication"))

        for credential in ClusterPKI.Credential.allCases {
            let key = try ExternalTool.run(ExternalTool.openssl, ["pkey", "-noout", "-text", "-in", pki.files(credential).key.path])
            #expect(key.status == 0, "\(key.error)")
            #expect(key.output.contains("prime256v1"), "\(credential)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func mutualTLSHandshakeSucceedsAndForeignClientIsRefused() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url)
        let ca = pki.files(.certificateAuthority).certificate.path
        let port = try freeLoopbackPort()
        let server = try ExternalTool.start(ExternalTool.openssl, [
            "s_server", "-accept", "127.0.0.1:\(port)", "-naccept", "2",
            "-cert", pki.files(.serving).certificate.path, "-key", pki.files(.serving).key.path,
            "-CAfile", ca, "-Verify", "1", "-verify_return_error", "-quiet",
        ])
        defer { if server.process.isRunning { server.stop() } }

        func connect(certificate: String, key: String, extra: [String] = []) throws -> ToolResult {
            try ExternalTool.run(ExternalTool.openssl, ["s_client"] + extra + [
                "-connect", "127.0.0.1:\(port)", "-servername", "kubernetes.default.svc",
                "-verify_hostname", "kubernetes.default.svc", "-CAfile", ca, "-verify_return_error",
                "-cert", certificate, "-key", key, "-brief",
            ], timeout: 10)
        }

        // Wait for the listener, then handshake as the admin.
        var accepted = try connect(certificate: pki.files(.admin).certificate.path, key: pki.files(.admin).key.path)
        var attempts = 0
        while accepted.error.contains("Connection refused") || accepted.error.contains("connect:errno"), attempts < 50 {
            Thread.sleep(forTimeInterval: 0.1)
            attempts += 1
            accepted = try connect(certificate: pki.files(.admin).certificate.path, key: pki.files(.admin).key.path)
        }
        #expect(accepted.status == 0, "\(accepted.output)\(accepted.error)")
        #expect(accepted.error.contains("Verification: OK"), "\(accepted.error)")

        // A client certificate from another CA is refused by the server. (TLS 1.2, where the
        // client learns of the refusal within the handshake; in 1.3 the alert comes after.)
        let foreign = try TemporaryDirectory()
        defer { foreign.remove() }
        let other = try ClusterPKI.loadOrCreate(directory: foreign.url)
        let refused = try connect(
            certificate: other.files(.admin).certificate.path, key: other.files(.admin).key.path,
            extra: ["-tls1_2"])
        #expect(!refused.error.contains("Connection refused"))
        #expect(refused.status != 0, "\(refused.output)\(refused.error)")
        #expect(refused.error.contains("alert"), "\(refused.error)")

        // The server took two connections and logged the failed verification of the second.
        let deadline = Date() + 10
        while server.process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if server.process.isRunning { server.stop() }
        let log = server.finish()
        #expect(log.error.contains("verify error") || log.output.contains("verify error"), "\(log.output)\(log.error)")
    }
}
