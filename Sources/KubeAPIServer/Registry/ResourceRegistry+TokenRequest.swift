import Foundation
import KubeModel
import KubeStore

/// `serviceaccounts/{name}/token` (authentication.k8s.io/v1 TokenRequest): a signed token for an
/// existing service account, optionally bound to a pod or secret (the token dies with it).
extension ResourceRegistry {
    /// Upstream's default and bounds for `spec.expirationSeconds`.
    static let defaultTokenSeconds: Int64 = 3600
    static let minimumTokenSeconds: Int64 = 600
    static let maximumTokenSeconds: Int64 = 1 << 32

    func requestToken(_ request: APIRequest, resource serviceAccounts: KubeResource) async throws -> APIResult {
        guard let signer = tokenSigner else {
            throw APIError.badRequest("the server has no service account signing key")
        }
        var tokenRequest: AuthenticationV1.TokenRequest
        do {
            tokenRequest = try JSONDecoder().decode(AuthenticationV1.TokenRequest.self, from: request.body)
        } catch let error as DecodingError {
            throw APIError.badRequest("error decoding TokenRequest: \(Self.describe(error))")
        }
        let name = request.info.name
        let namespace = request.info.namespace
        let expiration = tokenRequest.spec.expirationSeconds ?? Self.defaultTokenSeconds
        var causes: [APIError.FieldCause] = []
        if expiration < Self.minimumTokenSeconds {
            causes.append(.init(reason: "FieldValueInvalid", field: "spec.expirationSeconds",
                                message: "Invalid value: \(expiration): may not specify a duration less than 10 minutes"))
        } else if expiration > Self.maximumTokenSeconds {
            causes.append(.init(reason: "FieldValueInvalid", field: "spec.expirationSeconds",
                                message: "Invalid value: \(expiration): may not specify a duration larger than 2^32 seconds"))
        }
        if !causes.isEmpty {
            throw APIError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: name, causes: causes)
        }
        let (account, _) = try await fetch(request, resource: serviceAccounts)
        var claim = ServiceAccountTokenSigner.Claims.KubernetesClaim(
            namespace: namespace, serviceaccount: .init(name: name, uid: account.metadata.uid ?? ""))
        if let bound = tokenRequest.spec.boundObjectRef {
            let reference = try await boundReference(bound, namespace: namespace)
            switch bound.kind {
            case "Pod": claim.pod = reference
            case "Secret": claim.secret = reference
            default: claim.node = reference
            }
        }
        let audiences = (tokenRequest.spec.audiences ?? []).isEmpty ? signer.audiences : tokenRequest.spec.audiences!
        let now = Date()
        let issued = Int64(now.timeIntervalSince1970)
        let claims = ServiceAccountTokenSigner.Claims(
            aud: audiences, exp: issued + expiration, iat: issued, iss: signer.issuer,
            jti: UUID().uuidString.lowercased(), nbf: issued, sub: "system:serviceaccount:\(namespace):\(name)",
            kubernetes: claim)
        tokenRequest.apiVersion = "authentication.k8s.io/v1"
        tokenRequest.kind = "TokenRequest"
        tokenRequest.metadata.name = name
        tokenRequest.metadata.namespace = namespace
        tokenRequest.metadata.creationTimestamp = nil
        tokenRequest.spec.audiences = audiences
        tokenRequest.spec.expirationSeconds = expiration
        tokenRequest.status = AuthenticationV1.TokenRequestStatus(
            expirationTimestamp: MetaV1.Time(now.addingTimeInterval(TimeInterval(expiration))),
            token: try signer.sign(claims))
        return .object(tokenRequest, code: 201)
    }

    /// The pod, secret or node a token is bound to; 404 when absent, 409 on a UID mismatch.
    private func boundReference(_ bound: AuthenticationV1.BoundObjectReference,
                                namespace: String) async throws -> ServiceAccountTokenSigner.Claims.Reference {
        let kind = bound.kind ?? ""
        let plural = ["Pod": "pods", "Secret": "secrets", "Node": "nodes"][kind]
        guard let plural, bound.apiVersion == nil || bound.apiVersion == "v1",
              let resource = catalog.resource(group: "", version: "v1", resource: plural) else {
            throw APIError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: "", causes: [
                .init(reason: "FieldValueNotSupported", field: "spec.boundObjectRef.kind",
                      message: "Unsupported value: \"\(kind)\": supported values: \"Pod\", \"Secret\", \"Node\""),
            ])
        }
        let name = bound.name ?? ""
        let key = Self.key(resource, namespace: namespace, name: name)
        guard let kv = try await store.get(key) else {
            throw APIError.notFound(resource: Self.groupResource(resource), name: name)
        }
        let uid = try decodeStored(kv, as: resource).metadata.uid ?? ""
        if let expected = bound.uid, !expected.isEmpty, expected != uid {
            throw APIError.conflict(resource: Self.groupResource(resource), name: name,
                                    message: "the UID in the bound object reference (\(expected)) does not match the UID in record. The object might have been deleted and then recreated")
        }
        return .init(name: name, uid: uid)
    }

    /// The UID of a stored object (for the service account token authenticator).
    public func uid(resource plural: String, namespace: String, name: String) async -> String? {
        guard let resource = catalog.resource(group: "", version: "v1", resource: plural),
              let kv = try? await store.get(Self.key(resource, namespace: namespace, name: name)),
              let object = try? decodeStored(kv, as: resource) else { return nil }
        return object.metadata.uid
    }
}
