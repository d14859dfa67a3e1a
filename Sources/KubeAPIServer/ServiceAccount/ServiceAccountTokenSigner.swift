import Foundation
import KubeModel
import KubePKI

/// Issues and verifies service account tokens: JWTs signed ES256 with the cluster's service
/// account key (`DATA_DIR/tls/service-account.key`, created on first start), with upstream's
/// claims (`iss`, `sub` = `system:serviceaccount:NS:NAME`, `aud`, `exp`/`iat`/`nbf`, `jti`, and
/// the private `kubernetes.io` claim naming the namespace, service account and bound object).
public struct ServiceAccountTokenSigner: Sendable {
    /// The issuer and default audience, as upstream's default `--service-account-issuer`.
    public static let defaultIssuer = "https://kubernetes.default.svc.cluster.local"

    public let issuer: String
    public let audiences: [String]
    private let key: PrivateKey
    /// `kid`: the unpadded base64url SHA-256 of the public key's DER form (upstream's key ID).
    public let keyID: String

    public init(key: PrivateKey, issuer: String = Self.defaultIssuer, audiences: [String]? = nil) {
        self.key = key
        self.issuer = issuer
        self.audiences = audiences ?? [issuer]
        keyID = Self.base64URL(Data(Digest.sha256.hash(key.publicKey.derBytes)))
    }

    /// The key in `directory/service-account.key`, created (0600) when missing.
    public static func loadOrCreateKey(in directory: URL) throws -> PrivateKey {
        let url = directory.appendingPathComponent("service-account.key")
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                let key = try PrivateKey(pemEncoded: try SecureFile.read(url))
                guard key.curve == .p256 else {
                    throw PKIError.unreadableFile(path: url.path, reason: "not an EC P-256 key (ES256 needs one)")
                }
                return key
            } catch let error as PKIError {
                throw error
            } catch {
                throw PKIError.unreadableFile(path: url.path, reason: "not a PEM EC P-256 private key")
            }
        }
        try SecureFile.ensureDirectory(directory)
        let key = try PrivateKey.generate()
        try SecureFile.write(try key.pkcs8PEM(), to: url, mode: 0o600)
        return key
    }

    /// What a token says about its subject.
    public struct Claims: Codable, Equatable, Sendable {
        public struct Reference: Codable, Equatable, Sendable {
            public var name: String
            public var uid: String
        }
        public struct KubernetesClaim: Codable, Equatable, Sendable {
            public var namespace: String
            public var serviceaccount: Reference
            public var pod: Reference?
            public var secret: Reference?
            public var node: Reference?
        }
        public var aud: [String]
        public var exp: Int64
        public var iat: Int64
        public var iss: String
        public var jti: String
        public var nbf: Int64
        public var sub: String
        public var kubernetes: KubernetesClaim

        enum CodingKeys: String, CodingKey {
            case aud, exp, iat, iss, jti, nbf, sub
            case kubernetes = "kubernetes.io"
        }
    }

    /// A signed token for the claims.
    public func sign(_ claims: Claims) throws -> String {
        let header = #"{"alg":"ES256","kid":"\#(keyID)"}"#
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let signingInput = Self.base64URL(Data(header.utf8)) + "." + Self.base64URL(try encoder.encode(claims))
        guard let signature = ECDSASignature.raw(fromDER: try key.signature(for: Array(signingInput.utf8), digest: .sha256), curve: key.curve)
        else { throw CryptoError.operationFailed("ES256 signature") }
        return signingInput + "." + Self.base64URL(Data(signature))
    }

    /// The claims of a token this signer issued that is valid at `now` for one of the
    /// signer's audiences; nil otherwise (bad form, signature, issuer, audience or time).
    public func verify(_ token: String, now: Date = Date()) -> Claims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerData = Self.decodeBase64URL(parts[0]),
              let header = try? JSONDecoder().decode([String: String].self, from: headerData),
              header["alg"] == "ES256",
              let payload = Self.decodeBase64URL(parts[1]),
              let signatureBytes = Self.decodeBase64URL(parts[2]),
              let signature = ECDSASignature.der(fromRaw: Array(signatureBytes), curve: .p256),
              key.publicKey.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8), digest: .sha256),
              let claims = try? JSONDecoder().decode(Claims.self, from: payload)
        else { return nil }
        let seconds = Int64(now.timeIntervalSince1970)
        // Upstream allows a minute of clock skew on both ends.
        guard claims.iss == issuer, claims.exp + 60 > seconds, claims.nbf - 60 <= seconds,
              !Set(claims.aud).isDisjoint(with: audiences) else { return nil }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
