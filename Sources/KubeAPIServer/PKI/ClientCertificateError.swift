import Foundation

/// Why a client certificate was not accepted (the request is then treated as unauthenticated).
public enum ClientCertificateError: Error, Equatable, CustomStringConvertible {
    case emptyChain
    case unparsableCertificate(String)
    case unknownAuthority
    case badSignature
    case notYetValid(Date)
    case expired(Date)
    case notForClientAuth
    case emptyCommonName

    public var description: String {
        switch self {
        case .emptyChain: "no client certificate presented"
        case .unparsableCertificate(let reason): "client certificate cannot be parsed: \(reason)"
        case .unknownAuthority: "x509: certificate signed by unknown authority"
        case .badSignature: "x509: certificate signature does not verify against the cluster CA"
        case .notYetValid(let date): "x509: certificate is not valid before \(date)"
        case .expired(let date): "x509: certificate has expired (not valid after \(date))"
        case .notForClientAuth: "x509: certificate specifies an incompatible key usage"
        case .emptyCommonName: "client certificate has an empty common name"
        }
    }
}
