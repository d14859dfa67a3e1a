extension Quantity: CustomStringConvertible {
    /// Upstream `String()`: the canonical form.
    ///
    /// - zero is `"0"`;
    /// - DecimalSI / DecimalExponent: the exponent is lowered to a multiple of 3 and the largest
    ///   such suffix is used (`1.5G` → `"1500M"`, `0.5` → `"500m"`, `1e3` → `"1e3"`); DecimalSI values
    ///   outside `n`…`E` fall back to exponent notation (`"1e21"`);
    /// - BinarySI: values in (−1024, 1024) or with a fractional part are shown as DecimalSI; otherwise
    ///   the largest power-of-1024 suffix is used (`1024Mi` → `"1Gi"`); past `Ei` the exact decimal
    ///   exponent form is used.
    public var description: String {
        if mantissa == 0 { return "0" }
        switch format {
        case .decimalSI, .decimalExponent:
            return canonicalDecimal(format: format)
        case .binarySI:
            if Quantity.compareMagnitude(self, Quantity(value: 1024)) < 0 || exponent < 0 {
                return canonicalDecimal(format: .decimalSI)
            }
            return canonicalBinary() ?? canonicalDecimal(format: .decimalExponent)
        }
    }

    /// Mantissa digits and an exponent that is a multiple of three (exponent rounded down).
    func canonicalDecimalParts() -> (digits: String, exponent: Int64) {
        var digits = String(mantissa)
        var e = Int64(exponent)
        let remainder = ((e % 3) + 3) % 3
        if remainder != 0 {
            digits += String(repeating: "0", count: Int(remainder))
            e -= remainder
        }
        return (digits, e)
    }

    private func canonicalDecimal(format: Format) -> String {
        let (digits, e) = canonicalDecimalParts()
        if format == .decimalSI, let suffix = Quantity.decimalSuffix(e) {
            return digits + suffix
        }
        return e == 0 ? digits : digits + "e" + String(e)
    }

    static func decimalSuffix(_ exponent: Int64) -> String? {
        switch exponent {
        case -9: return "n"
        case -6: return "u"
        case -3: return "m"
        case 0: return ""
        case 3: return "k"
        case 6: return "M"
        case 9: return "G"
        case 12: return "T"
        case 15: return "P"
        case 18: return "E"
        default: return nil
        }
    }

    /// Integer value split into `n × 1024^k` with `k ≤ 6`, or nil if that is not possible here.
    private func canonicalBinary() -> String? {
        guard exponent >= 0, let integer = Quantity.multiply(mantissa, byPowerOfTen: Int64(exponent)) else {
            return nil
        }
        var n = integer
        var k = 0
        while n % 1024 == 0 && n != 0 {
            n /= 1024
            k += 1
        }
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        guard k < suffixes.count else { return nil }
        return String(n) + suffixes[k]
    }
}
