import SwiftASN1

/// Converts ECDSA signatures between DER (`ECDSA-Sig-Value ::= SEQUENCE { r INTEGER,
/// s INTEGER }`, what X.509 and libcrypto use) and JOSE's raw form (r‖s, each left-padded to
/// the curve's coordinate size, what JWS ES256 uses: RFC 7518 §3.4).
public enum ECDSASignature {
    /// The raw r‖s form of a DER signature; nil when `der` is not one for `curve`.
    public static func raw(fromDER der: [UInt8], curve: EllipticCurve) -> [UInt8]? {
        let size = curve.coordinateSize
        guard let (r, s) = try? DER.sequence(DER.parse(der), identifier: .sequence, { nodes in
            (try ArraySlice<UInt8>(derEncoded: &nodes), try ArraySlice<UInt8>(derEncoded: &nodes))
        }) else { return nil }
        var output: [UInt8] = []
        for integer in [r, s] {
            let magnitude = integer.drop { $0 == 0 }
            guard magnitude.count <= size else { return nil }
            output += [UInt8](repeating: 0, count: size - magnitude.count) + magnitude
        }
        return output
    }

    /// The DER form of a raw r‖s signature; nil when `raw` has the wrong length for `curve`.
    public static func der(fromRaw raw: [UInt8], curve: EllipticCurve) -> [UInt8]? {
        let size = curve.coordinateSize
        guard raw.count == 2 * size else { return nil }
        var serializer = DER.Serializer()
        do {
            try serializer.appendConstructedNode(identifier: .sequence) { coder in
                // swift-asn1 writes unsigned integers minimally, with a zero byte before a set top bit.
                for half in [raw[0..<size], raw[size...]] {
                    try coder.serialize(half.drop { $0 == 0 })
                }
            }
        } catch {
            return nil
        }
        return serializer.serializedBytes
    }

}
