import Foundation
import Yams

/// A kubeconfig file (clientcmd's `v1.Config`): clusters, users and the contexts pairing them.
/// Only what a client needs to connect is read; unknown fields are ignored, as kubectl does.
public struct KubeConfig: Sendable, Decodable {
    public struct Cluster: Sendable, Decodable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        public var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    public struct User: Sendable, Decodable {
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var token: String?
        public var tokenFile: String?

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token
            case tokenFile
        }
    }

    public struct Context: Sendable, Decodable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
    }

    struct Named<Value: Decodable & Sendable>: Decodable, Sendable {
        var name: String
        var value: Value

        enum CodingKeys: String, CodingKey { case name, cluster, user, context }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            for key in [CodingKeys.cluster, .user, .context] where container.contains(key) {
                value = try container.decode(Value.self, forKey: key)
                return
            }
            throw DecodingError.keyNotFound(CodingKeys.cluster, .init(codingPath: container.codingPath, debugDescription: "no cluster, user or context in \(name)"))
        }
    }

    var clusters: [Named<Cluster>]?
    var users: [Named<User>]?
    var contexts: [Named<Context>]?
    public var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    /// Where relative file paths in the config are resolved (the file's directory).
    var baseDirectory: URL?

    public static func parse(_ text: String, baseDirectory: URL? = nil) throws -> KubeConfig {
        var config = try YAMLDecoder().decode(KubeConfig.self, from: text)
        config.baseDirectory = baseDirectory
        return config
    }

    public static func load(_ url: URL) throws -> KubeConfig {
        try parse(String(contentsOf: url, encoding: .utf8), baseDirectory: url.deletingLastPathComponent())
    }

    /// The connection settings of `context` (default: the current context).
    public func restConfig(context name: String? = nil) throws -> RESTConfig {
        guard let contextName = name ?? currentContext else { throw KubeConfigError.noCurrentContext }
        guard let context = contexts?.first(where: { $0.name == contextName })?.value else {
            throw KubeConfigError.missing("context", contextName)
        }
        guard let cluster = clusters?.first(where: { $0.name == context.cluster })?.value else {
            throw KubeConfigError.missing("cluster", context.cluster)
        }
        let user = try context.user.map { userName in
            guard let user = users?.first(where: { $0.name == userName })?.value else {
                throw KubeConfigError.missing("user", userName)
            }
            return user
        }
        guard let server = URL(string: cluster.server), let host = server.host else {
            throw KubeConfigError.invalidServer(cluster.server)
        }
        var config = RESTConfig(
            host: host, port: server.port ?? (server.scheme == "http" ? 80 : 443), useTLS: server.scheme != "http")
        config.certificateAuthorityPEM = try material(cluster.certificateAuthorityData, file: cluster.certificateAuthority)
        config.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify ?? false
        config.tlsServerName = cluster.tlsServerName
        config.clientCertificatePEM = try material(user?.clientCertificateData, file: user?.clientCertificate)
        config.clientKeyPEM = try material(user?.clientKeyData, file: user?.clientKey)
        if let token = user?.token {
            config.bearerToken = token
        } else if let file = user?.tokenFile {
            config.bearerToken = try String(contentsOf: resolve(file), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        config.namespace = context.namespace
        return config
    }

    /// Inline base64 data wins over a file, as in clientcmd.
    private func material(_ base64: String?, file: String?) throws -> [UInt8]? {
        if let base64 {
            guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
                throw KubeConfigError.invalidBase64
            }
            return Array(data)
        }
        if let file { return Array(try Data(contentsOf: resolve(file))) }
        return nil
    }

    private func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") || baseDirectory == nil { return URL(fileURLWithPath: path) }
        return baseDirectory!.appendingPathComponent(path)
    }
}

public enum KubeConfigError: Error, Equatable, CustomStringConvertible {
    case noCurrentContext
    case missing(String, String)
    case invalidServer(String)
    case invalidBase64

    public var description: String {
        switch self {
        case .noCurrentContext: "the kubeconfig names no current context"
        case .missing(let what, let name): "the kubeconfig has no \(what) named \"\(name)\""
        case .invalidServer(let server): "the kubeconfig's server \"\(server)\" is not a URL with a host"
        case .invalidBase64: "the kubeconfig has invalid base64 data"
        }
    }
}
