import Foundation
import NIOCore
import OpenSSLTLS

/// Authenticates a request as upstream's union authenticator does: a client certificate the TLS
/// layer verified against the cluster CA, else an `Authorization: Bearer` token from the static
/// token file or a service account token; nil when nothing identifies a user (→ 401).
public struct RequestAuthenticator: Sendable {
    public let certificates: ClientCertificateAuthenticator
    public let tokens: TokenFile
    public let serviceAccounts: ServiceAccountTokenAuthenticator?

    public init(certificates: ClientCertificateAuthenticator, tokens: TokenFile = TokenFile(),
                serviceAccounts: ServiceAccountTokenAuthenticator? = nil) {
        self.certificates = certificates
        self.tokens = tokens
        self.serviceAccounts = serviceAccounts
    }

    /// `peer`: the connection's client when known (HTTP/2), else its certificate is read from
    /// `channel`.
    func authenticate(channel: any Channel, peer: ConnectionPeer? = nil, authorization: String?) async -> UserInfo? {
        if let peer {
            if let user = peer.user(certificates: certificates) { return user }
        } else if let der = await Self.peerCertificateDER(channel: channel),
                  let user = try? certificates.authenticate(derChain: [der]) {
            return user
        }
        if let token = Self.bearerToken(authorization) {
            if let user = tokens.user(forToken: token) { return user }
            return await serviceAccounts?.user(forToken: token)
        }
        return nil
    }

    /// `Bearer T` (scheme case-insensitive) → `T`.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The leaf certificate the peer presented (already verified against the trust roots, as the
    /// server runs with `optionalVerification`). The TLS handler sits on the connection (or on
    /// the parent of a stream channel).
    static func peerCertificateDER(channel: any Channel) async -> [UInt8]? {
        for candidate in [channel, channel.parent].compactMap({ $0 }) {
            let future = candidate.eventLoop.submit {
                try candidate.pipeline.syncOperations.handler(type: TLSHandler.self).peerCertificateDER
            }
            if let result = try? await future.get() { return result }
        }
        return nil
    }
}
