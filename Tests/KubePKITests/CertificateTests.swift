import Foundation
import KubePKI
import SwiftASN1
import Testing

@Suite struct CertificateTests {
    /// A self-signed certificate made by openssl, read back field by field.
    @Test(arguments: ["ec -pkeyopt ec_paramgen_curve:P-256", "rsa:2048"])
    func readsCertificatesOpenSSLMakes(_ keySpec: String) throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        let keyArguments = keySpec.split(separator: " ").map(String.init)
        let made = try tool.run(["req", "-x509", "-newkey"] + keyArguments + [
            "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30",
            "-subj", "/O=dev/O=ops/CN=jane",
            "-addext", "subjectAltName=DNS:api.example.test,IP:192.0.2.1,IP:2001:db8::7,email:a@b.c",
            "-addext", "extendedKeyUsage=clientAuth,serverAuth",
            "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
            "-addext", "basicConstraints=critical,CA:TRUE,pathlen:2",
        ])
        try #require(made.status == 0, "\(made.output)")
        let certificate = try Certificate(pemEncoded: tool.text("cert.pem"))
        #expect(certificate.subject.commonName == "jane")
        #expect(certificate.subject.values(of: OID.organizationName) == ["dev", "ops"])
        #expect(certificate.subject.description == "O=dev, O=ops, CN=jane")
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.isSigned(by: certificate.publicKey))
        let days = certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) / 86400
        #expect(abs(days - 30) < 0.01)
        #expect(abs(certificate.notValidBefore.timeIntervalSinceNow) < 600)

        let extensions = certificate.extensions
        #expect(try extensions.subjectAlternativeNames == [
            .dnsName("api.example.test"), .ipAddress([192, 0, 2, 1]),
            .ipAddress([0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [7]), .other,
        ])
        #expect(try extensions.extendedKeyUsage == [OID.clientAuth, OID.serverAuth])
        #expect(try extensions.keyUsage == KeyUsage(digitalSignature: true, keyEncipherment: true))
        #expect(extensions[OID.keyUsage]?.critical == true)
        let constraints = try #require(try extensions.basicConstraints)
        #expect(constraints.isCertificateAuthority && constraints.maxPathLength == 2)
        #expect(try extensions.subjectKeyIdentifier != nil)
        #expect(try extensions.authorityKeyIdentifier == extensions.subjectKeyIdentifier)

        // The public key is the one in the key file.
        try #require(tool.run(["pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der"]).status == 0)
        #expect(try tool.read("pub.der") == certificate.publicKey.derBytes)
        // DER in, DER out.
        try #require(tool.run(["x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der"]).status == 0)
        #expect(try tool.read("cert.der") == certificate.derBytes)
        #expect(try Certificate(pemEncoded: certificate.pemString) == certificate)
    }

    /// What Skiff issues, read by openssl: a CA and a leaf it signs, verified as a chain.
    @Test func issuedCertificatesVerifyWithOpenSSL() throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        let now = Date()
        let caKey = try PrivateKey.generate()
        let caName = try DistinguishedName.subject(commonName: "test-ca")
        let ca = try Certificate.issue(
            subject: caName, publicKey: caKey.publicKey, notValidBefore: now - 60, notValidAfter: now + 86400,
            issuer: caName, issuerKey: caKey,
            extensions: [
                .basicConstraints(isCertificateAuthority: true),
                .keyUsage(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true)),
                .subjectKeyIdentifier(Certificate.keyIdentifier(for: caKey.publicKey)),
            ])
        let leafKey = try PrivateKey.generate(curve: .p384)
        let leaf = try Certificate.issue(
            subject: .subject(commonName: "system:admin", organizations: ["system:masters"]),
            publicKey: leafKey.publicKey, notValidBefore: now - 60, notValidAfter: now + 3600,
            issuer: ca.subject, issuerKey: caKey,
            extensions: [
                .basicConstraints(isCertificateAuthority: false),
                .keyUsage(KeyUsage(digitalSignature: true)),
                .extendedKeyUsage([OID.clientAuth]),
                .authorityKeyIdentifier(try #require(try ca.extensions.subjectKeyIdentifier)),
                .subjectAlternativeNames(dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]]),
            ])
        #expect(leaf.isSigned(by: caKey.publicKey))
        #expect(!leaf.isSigned(by: leafKey.publicKey))
        #expect(leaf.signatureAlgorithm == OID.ecdsaWithSHA256)
        #expect(try leaf.extensions.basicConstraints?.isCertificateAuthority == false)

        try tool.write("ca.pem", Array(ca.pemString.utf8))
        try tool.write("leaf.pem", Array(leaf.pemString.utf8))
        let verified = try tool.run(["verify", "-purpose", "sslclient", "-CAfile", "ca.pem", "leaf.pem"])
        #expect(verified.status == 0, "\(verified.output)")
        let text = try tool.run(["x509", "-in", "leaf.pem", "-noout", "-text"])
        #expect(text.output.contains("Subject: O = system:masters, CN = system:admin"), "\(text.output)")
        #expect(text.output.contains("DNS:localhost, IP Address:127.0.0.1"), "\(text.output)")
        #expect(text.output.contains("TLS Web Client Authentication"), "\(text.output)")
        #expect(text.output.contains("NIST CURVE: P-384"), "\(text.output)")
    }

    /// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    @Test(arguments: [
        ("2049-12-31T23:59:59Z", ASN1Identifier.utcTime),
        ("2050-01-01T00:00:00Z", ASN1Identifier.generalizedTime),
        ("1999-06-01T12:00:00Z", ASN1Identifier.utcTime),
    ])
    func validityTimesUseTheRightEncoding(_ text: String, _ tag: ASN1Identifier) throws {
        let date = try #require(ISO8601DateFormatter().date(from: text))
        let key = try PrivateKey.generate()
        let name = try DistinguishedName.subject(commonName: "t")
        let certificate = try Certificate.issue(
            subject: name, publicKey: key.publicKey, notValidBefore: date - 1, notValidAfter: date,
            issuer: name, issuerKey: key, extensions: [])
        #expect(certificate.notValidAfter == date)
        let tags = try DER.sequence(DER.parse(certificate.derBytes), identifier: .sequence) { outer in
            let tbs = outer.next()!
            while outer.next() != nil {}
            return try DER.sequence(tbs, identifier: .sequence) { fields in
                for _ in 0..<4 { _ = fields.next() }
                let validity = fields.next()!
                while fields.next() != nil {}
                guard case .constructed(let times) = validity.content else { return [ASN1Identifier]() }
                return times.map(\.identifier)
            }
        }
        #expect(tags.last == tag)
    }

    /// DER named bit strings drop trailing zero bits (X.690 §11.2.2).
    @Test(arguments: [
        (KeyUsage(digitalSignature: true), [UInt8(0x80)], 7),
        (KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true), [0x86], 1),
        (KeyUsage(digitalSignature: true, keyEncipherment: true), [0xa0], 5),
    ])
    func keyUsageBitsAreMinimal(_ usage: KeyUsage, _ bytes: [UInt8], _ padding: Int) throws {
        let encoded = try CertificateExtension.keyUsage(usage).value
        #expect(encoded == [0x03, UInt8(bytes.count + 1), UInt8(padding)] + bytes)
        let key = try PrivateKey.generate()
        let name = try DistinguishedName.subject(commonName: "t")
        let certificate = try Certificate.issue(
            subject: name, publicKey: key.publicKey, notValidBefore: Date(), notValidAfter: Date() + 60,
            issuer: name, issuerKey: key, extensions: [.keyUsage(usage)])
        #expect(try certificate.extensions.keyUsage == usage)
    }

    @Test func garbageIsRefusedNotTrapped() {
        #expect(throws: (any Error).self) { try Certificate(derEncoded: []) }
        #expect(throws: (any Error).self) { try Certificate(derEncoded: [0x30, 0x03, 0x02, 0x01, 0x01]) }
        #expect(throws: (any Error).self) { try Certificate(pemEncoded: "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n") }
        #expect(throws: (any Error).self) { try Certificate(pemEncoded: "nothing") }
    }
}
