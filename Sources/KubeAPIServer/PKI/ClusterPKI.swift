import Foundation
import Logging
import KubePKI

/// The credentials `skiff server` creates on first start (k3s's `server/tls`, kubeadm's
/// `/etc/kubernetes/pki`), all under `<data dir>/tls/`:
///
/// | File | Contents |
/// |---|---|
/// | `ca.crt`, `ca.key` | self-signed cluster CA, `CN=skiff-ca`, 10 years |
/// | `serving.crt`, `serving.key` | API server serving certificate, `CN=kube-apiserver`, serverAuth, 1 year |
/// | `admin.crt`, `admin.key` | client certificate `CN=system:admin, O=system:masters`, clientAuth, 1 year |
///
/// Keys are 0600. A restart reuses what is on disk; a leaf certificate is re-issued from the
/// same CA when it is missing, unreadable, not signed by the CA, expires within
/// ``renewalWindow``, or (serving) does not cover the requested names.
public struct ClusterPKI: Sendable {
    /// First address of k3s's default service CIDR 10.43.0.0/16: the `kubernetes` Service's
    /// ClusterIP.
    public static let defaultServiceIP = "10.43.0.1"
    /// Leaf certificates expiring within this window are re-issued on start.
    public static let renewalWindow: TimeInterval = 30 * 24 * 3600
    public static let adminUser = "system:admin"
    public static let adminGroup = "system:masters"

    /// Which credentials a ``loadOrCreate(directory:hostnames:ipAddresses:serviceIP:now:logger:)``
    /// call wrote (as opposed to reused).
    public enum Credential: String, Sendable, Hashable, CaseIterable {
        case certificateAuthority = "ca"
        case serving
        case admin
    }

    /// The files of one credential.
    public struct Files: Sendable, Equatable {
        public let certificate: URL
        public let key: URL
    }

    /// `<data dir>/tls`.
    public let directory: URL
    public let authority: CertificateAuthority
    public let serving: CertificateKeyPair
    public let admin: CertificateKeyPair
    /// The credentials written by the call that produced this value.
    public let issued: Set<Credential>

    /// The CA certificate as PEM (what clients trust, `certificate-authority-data`).
    public var caCertificatePEM: String { authority.credentials.certificatePEM }

    /// Verifies client certificates against this cluster's CA.
    public var clientAuthenticator: ClientCertificateAuthenticator {
        ClientCertificateAuthenticator(authority: authority.certificate)
    }

    public static func files(_ credential: Credential, in tlsDirectory: URL) -> Files {
        Files(
            certificate: tlsDirectory.appendingPathComponent("\(credential.rawValue).crt"),
            key: tlsDirectory.appendingPathComponent("\(credential.rawValue).key"))
    }

    public func files(_ credential: Credential) -> Files {
        Self.files(credential, in: directory)
    }

    /// Loads the PKI under `directory/tls`, creating or re-issuing whatever is missing or stale.
    ///
    /// - Parameters:
    ///   - directory: the server's data directory; files go to `directory/tls`.
    ///   - hostnames: extra DNS SANs for the serving certificate (e.g. the host's name).
    ///   - ipAddresses: extra IP SANs (e.g. the host's addresses, see ``HostAddresses``).
    ///   - serviceIP: the `kubernetes` Service's ClusterIP.
    /// - Throws: ``PKIError`` when the CA is unreadable or only half present (it is never
    ///   silently replaced: every issued credential depends on it), for invalid IPs and I/O errors.
    public static func loadOrCreate(
        directory: URL,
        hostnames: [String] = [],
        ipAddresses: [String] = [],
        serviceIP: String = defaultServiceIP,
        now: Date = Date(),
        logger: Logger = Logger(label: "skiff.pki")
    ) throws -> ClusterPKI {
        let tls = directory.appendingPathComponent("tls", isDirectory: true)
        try SecureFile.ensureDirectory(directory)
        try SecureFile.ensureDirectory(tls)
        let names = try ServingNames.kubernetes(
            hostnames: hostnames, ipAddresses: ipAddresses, serviceIP: serviceIP)
        var issued: Set<Credential> = []

        let caFiles = files(.certificateAuthority, in: tls)
        let authority: CertificateAuthority
        switch (SecureFile.exists(caFiles.certificate), SecureFile.exists(caFiles.key)) {
        case (true, true):
            authority = CertificateAuthority(
                credentials: try CertificateKeyPair.load(certificate: caFiles.certificate, key: caFiles.key))
            if authority.certificate.notValidAfter < now {
                logger.error("cluster CA has expired", metadata: ["notAfter": "\(authority.certificate.notValidAfter)"])
            }
        case (false, false):
            authority = try CertificateAuthority.generate(now: now)
            try authority.credentials.write(certificate: caFiles.certificate, key: caFiles.key)
            issued.insert(.certificateAuthority)
            logger.info("generated cluster CA", metadata: ["path": "\(caFiles.certificate.path)"])
        case (true, false):
            throw PKIError.unreadableFile(path: caFiles.key.path, reason: "missing (ca.crt exists)")
        case (false, true):
            throw PKIError.unreadableFile(path: caFiles.certificate.path, reason: "missing (ca.key exists)")
        }

        let serving = try leaf(
            .serving, in: tls, authority: authority, now: now, logger: logger, issued: &issued,
            extraCheck: { certificate in
                let missing = !names.isSubset(of: ServingNames(of: certificate))
                return missing ? "does not cover the requested names" : nil
            },
            issue: { try authority.issueServing(names: names, now: now) })
        let admin = try leaf(
            .admin, in: tls, authority: authority, now: now, logger: logger, issued: &issued,
            extraCheck: { _ in nil },
            issue: { try authority.issueClient(commonName: adminUser, organizations: [adminGroup], now: now) })

        return ClusterPKI(directory: tls, authority: authority, serving: serving, admin: admin, issued: issued)
    }

    /// Reuses the leaf credential on disk when it is sound, otherwise issues and writes a new one.
    private static func leaf(
        _ credential: Credential, in tls: URL, authority: CertificateAuthority, now: Date,
        logger: Logger, issued: inout Set<Credential>,
        extraCheck: (Certificate) -> String?,
        issue: () throws -> CertificateKeyPair
    ) throws -> CertificateKeyPair {
        let paths = files(credential, in: tls)
        var reason = "missing"
        if SecureFile.exists(paths.certificate) || SecureFile.exists(paths.key) {
            do {
                let existing = try CertificateKeyPair.load(certificate: paths.certificate, key: paths.key)
                reason = staleness(of: existing.certificate, authority: authority, now: now)
                    ?? extraCheck(existing.certificate) ?? ""
                if reason.isEmpty { return existing }
            } catch {
                reason = "unreadable (\(error))"
            }
        }
        let fresh = try issue()
        try fresh.write(certificate: paths.certificate, key: paths.key)
        issued.insert(credential)
        logger.info(
            "issued \(credential.rawValue) certificate",
            metadata: ["reason": "\(reason)", "notAfter": "\(fresh.certificate.notValidAfter)"])
        return fresh
    }

    private static func staleness(of certificate: Certificate, authority: CertificateAuthority, now: Date) -> String? {
        if !authority.signed(certificate) { return "not signed by the cluster CA" }
        if certificate.notValidAfter < now + renewalWindow { return "expires \(certificate.notValidAfter)" }
        if certificate.notValidBefore > now + CertificateAuthority.backdate { return "not yet valid" }
        return nil
    }
}
