import Foundation
import KubeAPIServer
import KubePKI
import Testing

@Suite struct ClusterPKITests {
    @Test func createsThenReusesEverything() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(
            directory: temp.url, hostnames: ["node-a"], ipAddresses: ["192.0.2.10"])
        #expect(first.issued == Set(ClusterPKI.Credential.allCases))
        #expect(first.directory.lastPathComponent == "tls")

        for credential in ClusterPKI.Credential.allCases {
            let files = first.files(credential)
            #expect(try posixMode(files.key) == 0o600, "\(files.key.path)")
            #expect(try posixMode(files.certificate) == 0o644, "\(files.certificate.path)")
            #expect(try String(contentsOf: files.key, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        }
        #expect(try posixMode(first.directory) == 0o700)

        let second = try ClusterPKI.loadOrCreate(
            directory: temp.url, hostnames: ["node-a"], ipAddresses: ["192.0.2.10"])
        #expect(second.issued.isEmpty)
        #expect(second.authority.certificate.serialNumber == first.authority.certificate.serialNumber)
        #expect(second.authority.certificate == first.authority.certificate)
        #expect(second.serving.certificate.serialNumber == first.serving.certificate.serialNumber)
        #expect(second.admin.certificate.serialNumber == first.admin.certificate.serialNumber)
        #expect(second.admin.privateKeyPEM == first.admin.privateKeyPEM)
    }

    @Test func caIsASelfSignedTenYearAuthority() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let now = Date()
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url, now: now)
        let ca = pki.authority.certificate
        #expect(ca.subject == ca.issuer)
        #expect(ca.subject.commonName == "skiff-ca")
        #expect(ca.isSigned(by: ca.publicKey))
        #expect(abs(ca.notValidAfter.timeIntervalSince(now) - 10 * 365 * 86400) < 5)
        let basic = try #require(ca.extensions[OID.basicConstraints])
        #expect(basic.critical)
        let constraints = try #require(try ca.extensions.basicConstraints)
        #expect(constraints.isCertificateAuthority && constraints.maxPathLength == nil)
        let usage = try #require(try ca.extensions.keyUsage)
        #expect(usage.keyCertSign && usage.cRLSign && usage.digitalSignature)
        #expect(try ca.extensions.subjectKeyIdentifier != nil)
        #expect(ca.publicKey == pki.authority.credentials.privateKey.publicKey)
    }

    @Test func servingCertificateCarriesTheKubernetesNames() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let now = Date()
        let pki = try ClusterPKI.loadOrCreate(
            directory: temp.url, hostnames: ["Node-A", "api.example.test"],
            ipAddresses: ["192.0.2.10", "2001:db8::7"], now: now)
        let serving = pki.serving.certificate
        #expect(serving.subject.commonName == "kube-apiserver")
        #expect(pki.authority.signed(serving))
        #expect(abs(serving.notValidAfter.timeIntervalSince(now) - 365 * 86400) < 5)
        let names = ServingNames(of: serving)
        #expect(names.dnsNames == [
            "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local", "node-a", "api.example.test",
        ])
        #expect(names.ipAddresses.map(\.description) == ["127.0.0.1", "::1", "192.0.2.10", "2001:db8::7", "10.43.0.1"])
        #expect(names.ipAddresses.map(\.bytes.count) == [4, 16, 4, 16, 4])
        let usage = try #require(try serving.extensions.extendedKeyUsage)
        #expect(usage == [OID.serverAuth])
        #expect(try serving.extensions.basicConstraints?.isCertificateAuthority == false)
        #expect(try serving.extensions.authorityKeyIdentifier
            == pki.authority.certificate.extensions.subjectKeyIdentifier)
    }

    @Test func servingCertificateExpiringWithinThirtyDaysIsReissuedFromTheSameCA() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.url)
        // Replace the serving certificate with one from the same CA that expires in 20 days.
        let names = try ServingNames.kubernetes(hostnames: [], ipAddresses: [], serviceIP: ClusterPKI.defaultServiceIP)
        let shortLived = try first.authority.issueServing(names: names, validity: 20 * 86400)
        let files = first.files(.serving)
        try shortLived.write(certificate: files.certificate, key: files.key)

        let second = try ClusterPKI.loadOrCreate(directory: temp.url)
        #expect(second.issued == [.serving])
        #expect(second.authority.certificate == first.authority.certificate)
        #expect(second.serving.certificate.serialNumber != shortLived.certificate.serialNumber)
        #expect(second.serving.certificate.notValidAfter > Date() + 300 * 86400)
        #expect(second.authority.signed(second.serving.certificate))
        #expect(second.admin.certificate == first.admin.certificate)
        // What is on disk is the new certificate.
        let reloaded = try CertificateKeyPair.load(certificate: files.certificate, key: files.key)
        #expect(reloaded.certificate == second.serving.certificate)
        #expect(try posixMode(files.key) == 0o600)
    }

    @Test func laterStartsRenewEveryLeafNearItsExpiry() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let start = Date()
        let first = try ClusterPKI.loadOrCreate(directory: temp.url, now: start)
        let muchLater = try ClusterPKI.loadOrCreate(directory: temp.url, now: start + 340 * 86400)
        #expect(muchLater.issued == [.serving, .admin])
        #expect(muchLater.authority.certificate == first.authority.certificate)
    }

    @Test func servingCertificateIsReissuedWhenNamesAreAdded() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.url, hostnames: ["node-a"])
        let same = try ClusterPKI.loadOrCreate(directory: temp.url, hostnames: ["NODE-A"])
        #expect(same.issued.isEmpty)
        let more = try ClusterPKI.loadOrCreate(
            directory: temp.url, hostnames: ["node-a"], ipAddresses: ["198.51.100.4"], serviceIP: "10.96.0.1")
        #expect(more.issued == [.serving])
        #expect(more.authority.certificate == first.authority.certificate)
        let addresses = ServingNames(of: more.serving.certificate).ipAddresses.map(\.description)
        #expect(addresses.contains("198.51.100.4") && addresses.contains("10.96.0.1"))
    }

    @Test func leafFromAnotherCAOnDiskIsReplaced() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.url)
        let foreign = try CertificateAuthority.generate()
        let impostor = try foreign.issueClient(commonName: "system:admin", organizations: ["system:masters"])
        let files = first.files(.admin)
        try impostor.write(certificate: files.certificate, key: files.key)
        let second = try ClusterPKI.loadOrCreate(directory: temp.url)
        #expect(second.issued == [.admin])
        #expect(second.authority.signed(second.admin.certificate))
    }

    @Test func halfPresentCAIsAnErrorNotSilentlyReplaced() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.url)
        try FileManager.default.removeItem(at: first.files(.certificateAuthority).key)
        #expect(throws: PKIError.self) { try ClusterPKI.loadOrCreate(directory: temp.url) }
        #expect(FileManager.default.fileExists(atPath: first.files(.certificateAuthority).certificate.path))
    }

    @Test func invalidIPAddressesAreRejected() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        #expect(throws: PKIError.invalidIPAddress("10.43.0.300")) {
            try ClusterPKI.loadOrCreate(directory: temp.url, serviceIP: "10.43.0.300")
        }
    }

    @Test func keysInSEC1FormatAreAccepted() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url)
        // Rewrite admin.key as "EC PRIVATE KEY" (what `openssl ec` and older kubeadm write).
        let files = pki.files(.admin)
        let result = try ExternalTool.run(ExternalTool.openssl, ["ec", "-in", files.key.path, "-out", files.key.path + ".sec1"])
        try #require(result.status == 0, "\(result.error)")
        let sec1 = try String(contentsOfFile: files.key.path + ".sec1", encoding: .utf8)
        #expect(sec1.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        try FileManager.default.removeItem(at: files.key)
        try FileManager.default.moveItem(atPath: files.key.path + ".sec1", toPath: files.key.path)
        let reloaded = try ClusterPKI.loadOrCreate(directory: temp.url)
        #expect(reloaded.issued.isEmpty)
        #expect(reloaded.admin.privateKeyPEM == sec1)
    }

    @Test func hostAddressesExcludeLoopbackAndLinkLocal() throws {
        let (hostnames, addresses) = HostAddresses.current()
        #expect(hostnames.count <= 1)
        for text in addresses {
            let address = try #require(IPAddress(text))
            #expect(!address.isLoopback && !address.isIPv6LinkLocal)
        }
        #expect(IPAddress("fe80::1")?.isIPv6LinkLocal == true)
        #expect(IPAddress("::1")?.isLoopback == true)
        #expect(IPAddress("127.0.0.5")?.isLoopback == true)
        #expect(IPAddress("fe80::1%eth0") == nil)
        #expect(IPAddress("2001:DB8:0:0::1")?.description == "2001:db8::1")
    }
}
