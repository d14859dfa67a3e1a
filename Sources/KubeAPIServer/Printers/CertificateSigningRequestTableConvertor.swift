import Foundation
import KubeModel

/// `kubectl get certificatesigningrequests`: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION.
public struct CertificateSigningRequestTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.age,
        Printers.column("SignerName", "signerName indicates the requested signer, and is a qualified name."),
        Printers.column("Requestor", "request contains an x509 certificate signing request encoded in a \"CERTIFICATE REQUEST\" PEM block."),
        Printers.column("RequestedDuration", "expirationSeconds is the requested duration of validity of the issued certificate."),
        Printers.column("Condition", "conditions applied to the request. Known conditions are \"Approved\", \"Denied\", and \"Failed\"."),
    ]

    public func row(_ request: CertificatesV1.CertificateSigningRequest, now: Date) -> [JSONValue] {
        let signer = request.spec.signerName
        let duration = request.spec.expirationSeconds.map { HumanDuration.format(TimeInterval($0)) } ?? Printers.none
        return [
            .string(request.metadata.name ?? ""),
            Printers.age(request, now: now),
            .string(signer.isEmpty ? Printers.none : signer),
            .string(request.spec.username ?? ""),
            .string(duration),
            .string(Self.condition(of: request)),
        ]
    }

    /// `Denied` over `Approved` over `Pending`, then `,Failed` and `,Issued` when they apply.
    static func condition(of request: CertificatesV1.CertificateSigningRequest) -> String {
        let types = Set((request.status.conditions ?? []).map(\.type))
        var status = types.contains("Denied") ? "Denied" : types.contains("Approved") ? "Approved" : "Pending"
        if types.contains("Failed") { status += ",Failed" }
        if let certificate = request.status.certificate, !certificate.isEmpty { status += ",Issued" }
        return status
    }
}
