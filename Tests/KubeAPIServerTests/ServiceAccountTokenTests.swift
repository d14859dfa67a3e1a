import Foundation
import KubeModel
import KubePKI
import Testing
@testable import KubeAPIServer

@Suite("Service account tokens")
struct ServiceAccountTokenTests {
    let signer: ServiceAccountTokenSigner

    init() throws {
        signer = ServiceAccountTokenSigner(key: try PrivateKey.generate())
    }

    func claims(exp: Int64 = 4_000_000_000, nbf: Int64 = 0, aud: [String] = [ServiceAccountTokenSigner.defaultIssuer]) -> ServiceAccountTokenSigner.Claims {
        .init(aud: aud, exp: exp, iat: nbf, iss: ServiceAccountTokenSigner.defaultIssuer, jti: "j", nbf: nbf,
              sub: "system:serviceaccount:default:robot",
              kubernetes: .init(namespace: "default", serviceaccount: .init(name: "robot", uid: "u-1")))
    }

    @Test func signedTokensVerifyAndCarryTheirClaims() throws {
        let token = try signer.sign(claims())
        #expect(token.split(separator: ".").count == 3)
        #expect(signer.verify(token) == claims())
    }

    @Test(arguments: [
        ("expired", Int64(1_000), Int64(0), [ServiceAccountTokenSigner.defaultIssuer]),
        ("not yet valid", Int64(4_000_000_000), Int64(3_999_999_000), [ServiceAccountTokenSigner.defaultIssuer]),
        ("another audience", Int64(4_000_000_000), Int64(0), ["vault"]),
    ])
    func invalidTokensAreRefused(_ label: String, exp: Int64, nbf: Int64, aud: [String]) throws {
        let token = try signer.sign(claims(exp: exp, nbf: nbf, aud: aud))
        #expect(signer.verify(token) == nil, "\(label)")
    }

    @Test func tamperedOrForeignTokensAreRefused() throws {
        let token = try signer.sign(claims())
        var parts = token.split(separator: ".").map(String.init)
        var payload = claims()
        payload.sub = "system:serviceaccount:kube-system:admin"
        parts[1] = ServiceAccountTokenSigner.base64URL(try JSONEncoder().encode(payload))
        #expect(signer.verify(parts.joined(separator: ".")) == nil)
        let foreign = ServiceAccountTokenSigner(key: try PrivateKey.generate())
        #expect(signer.verify(try foreign.sign(claims())) == nil)
        #expect(signer.verify("not-a-token") == nil)
    }

    @Test func tokenRequestIssuesATokenThatAuthenticatesUntilTheAccountIsGone() async throws {
        var h = try await RegistryHarness()
        var registry = h.registry
        registry.tokenSigner = signer
        h = RegistryHarness(store: h.store, registry: registry)
        let account = try await h.object("POST", "/api/v1/namespaces/default/serviceaccounts", body: #"{"metadata":{"name":"robot"}}"#)
        let issued = try await h.object("POST", "/api/v1/namespaces/default/serviceaccounts/robot/token",
                                        body: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"#, code: 201)
        let request = try #require(issued as? AuthenticationV1.TokenRequest)
        #expect(request.spec.expirationSeconds == 3600)
        #expect(request.spec.audiences == [ServiceAccountTokenSigner.defaultIssuer])
        let token = try #require(request.status.token)

        let authenticator = ServiceAccountTokenAuthenticator(signer: signer) { [registry] resource, namespace, name in
            await registry.uid(resource: resource, namespace: namespace, name: name)
        }
        let user = await authenticator.user(forToken: token)
        #expect(user == UserInfo(name: "system:serviceaccount:default:robot", uid: account.metadata.uid ?? "",
                                 groups: ["system:serviceaccounts", "system:serviceaccounts:default"]))
        _ = try await h.call("DELETE", "/api/v1/namespaces/default/serviceaccounts/robot")
        #expect(await authenticator.user(forToken: token) == nil)
    }

    @Test func tokenRequestValidation() async throws {
        var h = try await RegistryHarness()
        var registry = h.registry
        registry.tokenSigner = signer
        h = RegistryHarness(store: h.store, registry: registry)
        let path = "/api/v1/namespaces/default/serviceaccounts/robot/token"
        #expect(await h.error("POST", path, body: #"{"spec":{}}"#)?.code == 404)
        _ = try await h.object("POST", "/api/v1/namespaces/default/serviceaccounts", body: #"{"metadata":{"name":"robot"}}"#)
        let short = await h.error("POST", path, body: #"{"spec":{"expirationSeconds":60}}"#)
        #expect(short?.code == 422)
        #expect(short?.message == "TokenRequest.authentication.k8s.io \"robot\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes")
        #expect(await h.error("POST", path, body: #"{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"gone"}}}"#)?.code == 404)
    }
}
