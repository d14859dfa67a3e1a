import Foundation
@testable import KubeAPIServer
import KubePKI
import Testing

@Suite struct ClientCertificateAuthenticatorTests {
    static func der(_ certificate: Certificate) -> [UInt8] { certificate.derBytes }

    @Test func adminCertificateMapsToSystemAdminInSystemMasters() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.url)
        let expected = UserInfo(name: "system:admin", groups: ["system:masters"])
        #expect(try pki.clientAuthenticator.authenticate(chain: [pki.admin.certificate]) == expected)
        #expect(try pki.clientAuthenticator.authenticate(derChain: [pki.admin.certificateDER]) == expected)
        let fromPEM = try ClientCertificateAuthenticator(authorityPEM: pki.caCertificatePEM)
        #expect(try fromPEM.authenticate(derChain: [Self.der(pki.admin.certificate)]) == expected)
    }

    @Test func everyOrganizationIsAGroup() throws {
        let ca = try CertificateAuthority.generate()
        let client = try ca.issueClient(commonName: "jane", organizations: ["dev", "ops"])
        let user = try ClientCertificateAuthenticator(authority: ca.certificate).authenticate(chain: [client.certificate])
        #expect(user == UserInfo(name: "jane", groups: ["dev", "ops"]))
    }

    @Test func certificateFromAnotherCAIsRejected() throws {
        let ours = try CertificateAuthority.generate()
        let authenticator = ClientCertificateAuthenticator(authority: ours.certificate)
        // Another skiff cluster: same CA name, different key.
        let twin = try CertificateAuthority.generate()
        let twinAdmin = try twin.issueClient(commonName: "system:admin", organizations: ["system:masters"])
        #expect(throws: ClientCertificateError.badSignature) {
            try authenticator.authenticate(chain: [twinAdmin.certificate])
        }
        // A CA with a different name entirely.
        let other = try CertificateAuthority.generate(commonName: "someone-else")
        let otherAdmin = try other.issueClient(commonName: "system:admin", organizations: ["system:masters"])
        #expect(throws: ClientCertificateError.unknownAuthority) {
            try authenticator.authenticate(chain: [otherAdmin.certificate])
        }
        // Appending the foreign CA to the chain does not help.
        #expect(throws: ClientCertificateError.unknownAuthority) {
            try authenticator.authenticate(chain: [otherAdmin.certificate, other.certificate])
        }
    }

    @Test func servingCertificateCannotAuthenticateAClient() throws {
        let ca = try CertificateAuthority.generate()
        let serving = try ca.issueServing(names: ServingNames(dnsNames: ["localhost"]))
        #expect(throws: ClientCertificateError.notForClientAuth) {
            try ClientCertificateAuthenticator(authority: ca.certificate).authenticate(chain: [serving.certificate])
        }
    }

    @Test func validityPeriodIsEnforced() throws {
        let now = Date()
        let ca = try CertificateAuthority.generate(now: now)
        let authenticator = ClientCertificateAuthenticator(authority: ca.certificate)
        let client = try ca.issueClient(commonName: "bob", validity: 3600, now: now)
        #expect(try authenticator.authenticate(chain: [client.certificate], now: now + 60).name == "bob")
        #expect(throws: ClientCertificateError.expired(client.certificate.notValidAfter)) {
            try authenticator.authenticate(chain: [client.certificate], now: now + 7200)
        }
        #expect(throws: ClientCertificateError.notYetValid(client.certificate.notValidBefore)) {
            try authenticator.authenticate(chain: [client.certificate], now: now - 3600)
        }
    }

    @Test func emptyChainAndEmptyCommonNameAreRejected() throws {
        let ca = try CertificateAuthority.generate()
        let authenticator = ClientCertificateAuthenticator(authority: ca.certificate)
        #expect(throws: ClientCertificateError.emptyChain) { try authenticator.authenticate(chain: []) }
        let nameless = try ca.issueClient(commonName: "", organizations: ["system:masters"])
        #expect(throws: ClientCertificateError.emptyCommonName) {
            try authenticator.authenticate(chain: [nameless.certificate])
        }
        #expect(throws: ClientCertificateError.self) { try authenticator.authenticate(derChain: [[0x30, 0x03, 0x02, 0x01]]) }
    }

    @Test func verifiedChainsAreRememberedButStillExpire() throws {
        let now = Date()
        let ca = try CertificateAuthority.generate(now: now)
        let authenticator = ClientCertificateAuthenticator(authority: ca.certificate)
        let client = try ca.issueClient(commonName: "carol", validity: 3600, now: now)
        let der = Self.der(client.certificate)
        #expect(try authenticator.authenticate(derChain: [der], now: now + 60).name == "carol")
        #expect(try authenticator.authenticate(derChain: [der], now: now + 120).name == "carol")
        #expect(throws: ClientCertificateError.expired(client.certificate.notValidAfter)) {
            try authenticator.authenticate(derChain: [der], now: now + 7200)
        }
        // A remembered chain does not vouch for another one from a twin CA.
        let twin = try CertificateAuthority.generate(now: now)
        let twinClient = try twin.issueClient(commonName: "carol", validity: 3600, now: now)
        #expect(throws: ClientCertificateError.badSignature) {
            try authenticator.authenticate(derChain: [Self.der(twinClient.certificate)], now: now + 60)
        }
    }

    /// An HTTP/2 connection's requests share one verification of its certificate, and its
    /// expiry still ends them; a connection without a (valid) certificate authenticates nobody.
    @Test func aConnectionVerifiesItsCertificateOnceAndStillExpires() throws {
        let now = Date()
        let ca = try CertificateAuthority.generate(now: now)
        let authenticator = ClientCertificateAuthenticator(authority: ca.certificate)
        let client = try ca.issueClient(commonName: "dave", validity: 3600, now: now)
        let peer = ConnectionPeer(certificateDER: Self.der(client.certificate))
        #expect(peer.user(certificates: authenticator, now: now + 60)?.name == "dave")
        #expect(peer.user(certificates: authenticator, now: now + 120)?.name == "dave")
        #expect(peer.user(certificates: authenticator, now: now + 7200) == nil)
        #expect(ConnectionPeer(certificateDER: nil).user(certificates: authenticator, now: now + 60) == nil)
        let stranger = try CertificateAuthority.generate(now: now).issueClient(commonName: "eve", validity: 3600, now: now)
        #expect(ConnectionPeer(certificateDER: Self.der(stranger.certificate)).user(certificates: authenticator, now: now + 60) == nil)
    }
}
