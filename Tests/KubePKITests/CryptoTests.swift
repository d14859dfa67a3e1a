import Foundation
import KubePKI
import Testing

@Suite struct CryptoTests {
    /// FIPS 180 "abc" vectors.
    @Test(arguments: [
        (Digest.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (Digest.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (Digest.sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (Digest.sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ])
    func digestsMatchTheStandardVectors(_ digest: Digest, _ hex: String) {
        #expect(digest.hash(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined() == hex)
    }

    @Test(arguments: [EllipticCurve.p256, .p384])
    func signaturesVerifyAndTamperingIsCaught(_ curve: EllipticCurve) throws {
        let key = try PrivateKey.generate(curve: curve)
        let message = Array("skiff".utf8)
        let signature = try key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message, digest: curve.digest))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("skifF".utf8), digest: curve.digest))
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: message, digest: curve.digest))
        let other = try PrivateKey.generate(curve: curve)
        #expect(!other.publicKey.isValidSignature(signature, for: message, digest: curve.digest))
    }

    @Test func pkcs8RoundTripsAndOpenSSLReadsIt() throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        let key = try PrivateKey.generate()
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n") && pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        #expect(try PrivateKey(pemEncoded: pem).publicKey == key.publicKey)
        try tool.write("key.pem", Array(pem.utf8))
        let result = try tool.run(["pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der"])
        try #require(result.status == 0, "\(result.output)")
        #expect(try tool.read("pub.der") == key.publicKey.derBytes)
    }

    /// Keys written by other tools: SEC1 (`openssl ecparam -genkey`), PKCS#8 P-384; RSA refused.
    @Test func foreignKeysAreReadOrRefused() throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        try #require(tool.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem"]).status == 0)
        let sec1 = try tool.text("sec1.pem")
        #expect(sec1.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        #expect(try PrivateKey(pemEncoded: sec1).curve == .p256)

        try #require(tool.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem"]).status == 0)
        #expect(try PrivateKey(pemEncoded: tool.text("p384.pem")).curve == .p384)

        try #require(tool.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem"]).status == 0)
        #expect(throws: CryptoError.self) { try PrivateKey(pemEncoded: tool.text("rsa.pem")) }
        #expect(throws: CryptoError.self) { try PrivateKey(pemEncoded: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
        #expect(throws: CryptoError.self) { try PrivateKey(pemEncoded: "not pem") }
    }

    @Test func signaturesInteroperateWithOpenSSL() throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        let key = try PrivateKey.generate()
        let message = Array("the message".utf8)
        try tool.write("message", message)
        try tool.write("key.pem", Array(try key.pkcs8PEM().utf8))
        try tool.write("pub.der", key.publicKey.derBytes)

        // Ours, checked by openssl.
        try tool.write("ours.sig", try key.signature(for: message))
        let verified = try tool.run(["dgst", "-sha256", "-verify", "pub.der", "-keyform", "DER", "-signature", "ours.sig", "message"])
        #expect(verified.status == 0, "\(verified.output)")

        // openssl's, checked by ours.
        try #require(tool.run(["dgst", "-sha256", "-sign", "key.pem", "-out", "theirs.sig", "message"]).status == 0)
        #expect(key.publicKey.isValidSignature(try tool.read("theirs.sig"), for: message, digest: .sha256))
    }

    @Test func joseSignaturesConvertBothWays() throws {
        let key = try PrivateKey.generate()
        for index in 0..<50 {
            let message = Array("message \(index)".utf8)
            let der = try key.signature(for: message)
            let raw = try #require(ECDSASignature.raw(fromDER: der, curve: .p256))
            #expect(raw.count == 64)
            let back = try #require(ECDSASignature.der(fromRaw: raw, curve: .p256))
            #expect(back == der)
        }
        // r = 1 with leading zeros, s with its top bit set (needs a zero byte in DER).
        let raw = [UInt8](repeating: 0, count: 31) + [1] + [0x80] + [UInt8](repeating: 0x11, count: 31)
        let der = try #require(ECDSASignature.der(fromRaw: raw, curve: .p256))
        #expect(Array(der.prefix(5)) == [0x30, 0x26, 0x02, 0x01, 0x01])
        #expect(Array(der[5...7]) == [0x02, 0x21, 0x00])
        #expect(ECDSASignature.raw(fromDER: der, curve: .p256) == raw)
        #expect(ECDSASignature.der(fromRaw: Array(raw.dropLast()), curve: .p256) == nil)
        #expect(ECDSASignature.raw(fromDER: [0x30, 0x00], curve: .p256) == nil)
    }
}
