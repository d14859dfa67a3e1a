import Foundation
import NIOCore
import Synchronization

/// The client at the other end of one HTTP/2 connection: the certificate it presented in the
/// TLS handshake (read once per connection, not per request) and that certificate's verified
/// identity, reused by the connection's requests while inside the chain's validity window.
final class ConnectionPeer: Sendable {
    let certificateDER: [UInt8]?
    private let verified = Mutex<VerifiedChainCache.Entry?>(nil)

    init(certificateDER: [UInt8]?) {
        self.certificateDER = certificateDER
    }

    /// Reads the peer certificate from the connection's TLS handler.
    convenience init(connection: any Channel) async {
        self.init(certificateDER: await RequestAuthenticator.peerCertificateDER(channel: connection))
    }

    /// The user the certificate authenticates at `now`; nil without a certificate or when it
    /// does not verify (then tokens may still authenticate the request).
    func user(certificates: ClientCertificateAuthenticator, now: Date = Date()) -> UserInfo? {
        guard let der = certificateDER else { return nil }
        if let entry = verified.withLock({ $0 }), entry.validFrom <= now, now <= entry.validUntil {
            return entry.user
        }
        guard let entry = try? certificates.verifiedEntry(derChain: [der], now: now) else { return nil }
        verified.withLock { $0 = entry }
        return entry.user
    }
}
