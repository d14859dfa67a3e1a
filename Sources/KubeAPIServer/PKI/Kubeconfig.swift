import Foundation

/// Writes kubeconfig files in the format `kubectl` reads (`clientcmd/api/v1.Config`), with the
/// credentials inline (`*-data` fields, base64 of the PEM files), like k3s's `k3s.yaml` and
/// kubeadm's `admin.conf`.
public enum Kubeconfig {
    public static let fileName = "kubeconfig.yaml"
    public static let defaultServer = "https://127.0.0.1:6443"
    public static let clusterName = "skiff"
    public static let userName = "skiff-admin"
    public static let contextName = "skiff"

    /// Writes `directory/kubeconfig.yaml` (0600: it holds the admin's private key) for the
    /// cluster admin (`system:admin` in `system:masters`) and returns its URL.
    @discardableResult
    public static func writeAdmin(to directory: URL, server: String = defaultServer, pki: ClusterPKI) throws -> URL {
        let file = directory.appendingPathComponent(fileName)
        try write(to: file, server: server, pki: pki)
        return file
    }

    /// Writes the admin kubeconfig to exactly `file` (0600).
    public static func write(to file: URL, server: String = defaultServer, pki: ClusterPKI) throws {
        try SecureFile.ensureDirectory(file.deletingLastPathComponent())
        let text = render(
            server: server,
            certificateAuthorityPEM: pki.caCertificatePEM,
            clientCertificatePEM: pki.admin.certificatePEM,
            clientKeyPEM: pki.admin.privateKeyPEM)
        try SecureFile.write(text, to: file, mode: 0o600)
    }

    /// The kubeconfig document with one cluster, one user and one context, selected as current.
    public static func render(
        server: String,
        certificateAuthorityPEM: String,
        clientCertificatePEM: String,
        clientKeyPEM: String,
        cluster: String = clusterName,
        user: String = userName,
        context: String = contextName
    ) -> String {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: \(quoted(cluster))
              cluster:
                server: \(quoted(server))
                certificate-authority-data: \(base64(certificateAuthorityPEM))
            users:
            - name: \(quoted(user))
              user:
                client-certificate-data: \(base64(clientCertificatePEM))
                client-key-data: \(base64(clientKeyPEM))
            contexts:
            - name: \(quoted(context))
              context:
                cluster: \(quoted(cluster))
                user: \(quoted(user))
            current-context: \(quoted(context))
            preferences: {}

            """
    }

    /// A YAML double-quoted scalar (JSON string syntax is valid YAML), so names and URLs never
    /// need thought about YAML's plain-scalar rules.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
