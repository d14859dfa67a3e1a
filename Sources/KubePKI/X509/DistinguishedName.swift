import SwiftASN1

/// An X.501 `Name`: a sequence of relative distinguished names, each a set of attributes.
/// Names compare by their DER bytes, as Go's chain building does (issuer ↔ subject).
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    public struct Attribute: Hashable, Sendable {
        public var type: ASN1ObjectIdentifier
        public var value: String
    }

    /// The relative distinguished names in order, each with its attributes.
    public let relativeNames: [[Attribute]]
    /// The DER encoding.
    public let derBytes: [UInt8]

    /// A name of one attribute per RDN, in order; values are written as UTF8String.
    public init(_ attributes: [(ASN1ObjectIdentifier, String)]) throws {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { names in
            for (type, value) in attributes {
                try names.appendConstructedNode(identifier: .set) { set in
                    try set.appendConstructedNode(identifier: .sequence) { pair in
                        try pair.serialize(type)
                        try pair.serialize(ASN1UTF8String(value))
                    }
                }
            }
        }
        derBytes = serializer.serializedBytes
        relativeNames = attributes.map { [Attribute(type: $0.0, value: $0.1)] }
    }

    /// `CN=<commonName>` preceded by one `O=` per organization (Kubernetes reads CN as the
    /// user and each O as a group).
    public static func subject(commonName: String, organizations: [String] = []) throws -> DistinguishedName {
        try DistinguishedName(organizations.map { (OID.organizationName, $0) } + [(OID.commonName, commonName)])
    }

    init(derEncoded node: ASN1Node) throws {
        relativeNames = try DER.sequence(node, identifier: .sequence) { names in
            var result: [[Attribute]] = []
            while let set = names.next() {
                guard set.identifier == .set, case .constructed(let members) = set.content else {
                    throw ASN1Error.unexpectedFieldType(set.identifier)
                }
                result.append(try members.map { member throws in
                    try DER.sequence(member, identifier: .sequence) { pair in
                        let type = try ASN1ObjectIdentifier(derEncoded: &pair)
                        guard let value = pair.next() else {
                            throw ASN1Error.invalidASN1Object(reason: "attribute without a value")
                        }
                        return Attribute(type: type, value: try Self.string(value))
                    }
                })
            }
            return result
        }
        derBytes = Array(node.encodedBytes)
    }

    /// Every value of attribute `type`, in order (e.g. each O).
    public func values(of type: ASN1ObjectIdentifier) -> [String] {
        relativeNames.flatMap { $0.filter { $0.type == type }.map(\.value) }
    }

    /// The first common name, if any.
    public var commonName: String? { values(of: OID.commonName).first }

    /// OpenSSL's one-line form, e.g. `O=system:masters, CN=system:admin`.
    public var description: String {
        relativeNames.map { rdn in
            rdn.map { attribute in
                let label = attribute.type == OID.commonName ? "CN"
                    : attribute.type == OID.organizationName ? "O" : attribute.type.description
                return "\(label)=\(attribute.value)"
            }.joined(separator: " + ")
        }.joined(separator: ", ")
    }

    public static func == (lhs: DistinguishedName, rhs: DistinguishedName) -> Bool { lhs.derBytes == rhs.derBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(derBytes) }

    /// The text of a directory string (UTF8String, PrintableString, IA5String, TeletexString,
    /// BMPString, UniversalString); other encodings read as their bytes in UTF-8.
    static func string(_ node: ASN1Node) throws -> String {
        guard case .primitive(let bytes) = node.content else {
            throw ASN1Error.invalidASN1Object(reason: "constructed string")
        }
        switch node.identifier {
        case .bmpString:
            let units = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
                UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        case .universalString:
            let scalars = stride(from: bytes.startIndex, to: bytes.endIndex - 3, by: 4).compactMap { index -> Unicode.Scalar? in
                var value: UInt32 = 0
                for byte in bytes[index..<index + 4] { value = value << 8 | UInt32(byte) }
                return Unicode.Scalar(value)
            }
            return String(String.UnicodeScalarView(scalars))
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
