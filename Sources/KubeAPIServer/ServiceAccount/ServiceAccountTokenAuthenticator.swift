import Foundation

/// Authenticates bearer tokens that are service account JWTs: the signature, issuer, audience
/// and lifetime must check out, and the service account (and the object the token is bound to)
/// must still exist with the UID the token names — deleting a service account revokes its tokens.
public struct ServiceAccountTokenAuthenticator: Sendable {
    public let signer: ServiceAccountTokenSigner
    /// The UID of `namespace/name` of `resource` ("serviceaccounts", "pods", "secrets"), nil when absent.
    public let lookup: @Sendable (_ resource: String, _ namespace: String, _ name: String) async -> String?

    public init(signer: ServiceAccountTokenSigner,
                lookup: @escaping @Sendable (_ resource: String, _ namespace: String, _ name: String) async -> String?) {
        self.signer = signer
        self.lookup = lookup
    }

    /// The user a token stands for: `system:serviceaccount:NS:NAME` in the groups
    /// `system:serviceaccounts` and `system:serviceaccounts:NS`; nil for anything else.
    public func user(forToken token: String, now: Date = Date()) async -> UserInfo? {
        guard token.split(separator: ".").count == 3, let claims = signer.verify(token, now: now) else { return nil }
        let namespace = claims.kubernetes.namespace
        let account = claims.kubernetes.serviceaccount
        guard claims.sub == "system:serviceaccount:\(namespace):\(account.name)",
              await lookup("serviceaccounts", namespace, account.name) == account.uid else { return nil }
        if let pod = claims.kubernetes.pod, await lookup("pods", namespace, pod.name) != pod.uid { return nil }
        if let secret = claims.kubernetes.secret, await lookup("secrets", namespace, secret.name) != secret.uid { return nil }
        return UserInfo(name: claims.sub, uid: account.uid,
                        groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"])
    }
}
