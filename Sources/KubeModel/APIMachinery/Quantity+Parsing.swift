extension Quantity {
    /// Why a string is not a quantity; `description` carries upstream's error text.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Upstream `ErrFormatWrong`.
        case formatWrong
        /// Upstream `ErrNumeric`.
        case numeric
        /// Upstream `ErrSuffix`.
        case suffix

        public var description: String {
            switch self {
            case .formatWrong:
                return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            case .numeric:
                return "unable to parse numeric part of quantity"
            case .suffix:
                return "unable to parse quantity's suffix"
            }
        }
    }

    /// Upstream `ParseQuantity`. Accepts `<sign><digits>.<digits><suffix>` where the suffix is one of
    /// `n u m "" k M G T P E`, `Ki Mi Gi Ti Pi Ei`, or `e<int>`/`E<int>`. No surrounding whitespace.
    ///
    /// Like upstream, a bare sign or suffix with no digits (`"-"`, `"Gi"`) parses as zero.
    public init(parsing string: String) throws(ParseError) {
        self = try Quantity.parse(Array(string.utf8))
    }

    /// Upstream `MustParse`: traps on malformed input. For literals and tests.
    public static func mustParse(_ string: String) -> Quantity {
        do {
            return try Quantity(parsing: string)
        } catch {
            preconditionFailure("cannot parse '\(string)': \(error)")
        }
    }

    private struct Scanned {
        var positive = true
        var integerDigits: ArraySlice<UInt8> = []
        var fractionDigits: ArraySlice<UInt8> = []
        var suffix: ArraySlice<UInt8> = []
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func isSuffixLetter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "u"),
             UInt8(ascii: "m"), UInt8(ascii: "k"), UInt8(ascii: "K"), UInt8(ascii: "M"), UInt8(ascii: "G"),
             UInt8(ascii: "T"), UInt8(ascii: "P"):
            return true
        default:
            return false
        }
    }

    /// Splits the text like upstream's scanner: sign, integer digits, fraction digits, suffix.
    private static func scan(_ s: [UInt8]) throws(ParseError) -> Scanned {
        var out = Scanned()
        var pos = 0
        let end = s.count
        if pos < end, s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+") {
            out.positive = s[0] == UInt8(ascii: "+")
            pos += 1
        }
        while pos < end, s[pos] == UInt8(ascii: "0") { pos += 1 }
        let intStart = pos
        while pos < end, isDigit(s[pos]) { pos += 1 }
        out.integerDigits = s[intStart..<pos]
        if pos < end, s[pos] == UInt8(ascii: ".") {
            pos += 1
            let fracStart = pos
            while pos < end, isDigit(s[pos]) { pos += 1 }
            out.fractionDigits = s[fracStart..<pos]
        }
        let suffixStart = pos
        while pos < end, isSuffixLetter(s[pos]) { pos += 1 }
        if pos < end, s[pos] == UInt8(ascii: "-") || s[pos] == UInt8(ascii: "+") { pos += 1 }
        while pos < end, isDigit(s[pos]) { pos += 1 }
        guard pos == end else { throw .formatWrong }
        out.suffix = s[suffixStart..<end]
        return out
    }

    /// (base, exponent, format) for a suffix, as upstream's suffixer interprets it.
    static func interpret(suffix: ArraySlice<UInt8>) -> (base: Int, exponent: Int32, format: Format)? {
        switch String(decoding: suffix, as: UTF8.self) {
        case "": return (10, 0, .decimalSI)
        case "n": return (10, -9, .decimalSI)
        case "u": return (10, -6, .decimalSI)
        case "m": return (10, -3, .decimalSI)
        case "k": return (10, 3, .decimalSI)
        case "M": return (10, 6, .decimalSI)
        case "G": return (10, 9, .decimalSI)
        case "T": return (10, 12, .decimalSI)
        case "P": return (10, 15, .decimalSI)
        case "E": return (10, 18, .decimalSI)
        case "Ki": return (2, 10, .binarySI)
        case "Mi": return (2, 20, .binarySI)
        case "Gi": return (2, 30, .binarySI)
        case "Ti": return (2, 40, .binarySI)
        case "Pi": return (2, 50, .binarySI)
        case "Ei": return (2, 60, .binarySI)
        default: break
        }
        guard suffix.count > 1, let first = suffix.first,
              first == UInt8(ascii: "e") || first == UInt8(ascii: "E") else { return nil }
        // Upstream accepts an exponent within ±(2³¹−1).
        guard let parsed = Int64(String(decoding: suffix.dropFirst(), as: UTF8.self)),
              parsed >= -Int64(Int32.max), parsed <= Int64(Int32.max) else { return nil }
        return (10, Int32(parsed), .decimalExponent)
    }

    static let maxAllowed = Quantity(mantissa: Int128(Int64.max), exponent: 0, format: .binarySI)

    private static func parse(_ s: [UInt8]) throws(ParseError) -> Quantity {
        if s.isEmpty { throw .formatWrong }
        if s == [UInt8(ascii: "0")] { return Quantity(value: 0) }
        let scanned = try scan(s)
        guard let (base, suffixExponent, parsedFormat) = interpret(suffix: scanned.suffix) else { throw .suffix }
        var format = parsedFormat

        // Significant digits of integer+fraction, leading zeros dropped.
        var digits = Array(scanned.integerDigits) + Array(scanned.fractionDigits)
        var exponent = -Int64(scanned.fractionDigits.count)
        var firstNonZero = 0
        while firstNonZero < digits.count, digits[firstNonZero] == UInt8(ascii: "0") { firstNonZero += 1 }
        digits.removeFirst(firstNonZero)
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if base == 10 { exponent += Int64(suffixExponent) }

        // Accumulate up to 38 digits exactly; further digits only matter below 1n (sticky bit).
        var mantissa: Int128 = 0
        var sticky = false
        for (index, digit) in digits.enumerated() {
            if index < 38 {
                mantissa = mantissa * 10 + Int128(digit - UInt8(ascii: "0"))
            } else {
                if digit != UInt8(ascii: "0") { sticky = true }
            }
        }
        if digits.count > 38 {
            exponent += Int64(digits.count - 38)
            // Dropped digits are only harmless when they sit below the 1n rounding point.
            if base != 10 || exponent > -9 { throw .numeric }
        }

        if base == 2 {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: Int128(1) << Int(suffixExponent))
            if overflow { throw .numeric }
            mantissa = product
        }

        // Round non-zero values up (away from zero) to a multiple of 1n. `mantissa` is still non-negative.
        if exponent < -9 {
            let power = -9 - exponent
            if power > 38 {
                mantissa = (mantissa != 0 || sticky) ? 1 : 0
            } else {
                let (q, r) = mantissa.quotientAndRemainder(dividingBy: powersOfTen[Int(power)])
                mantissa = (r != 0 || sticky) ? q + 1 : q
            }
            exponent = -9
        } else if sticky {
            mantissa += 1
        }
        guard exponent >= Int64(Int32.min), exponent <= Int64(Int32.max) else { throw .numeric }
        if !scanned.positive { mantissa = -mantissa }

        var result = Quantity(mantissa: mantissa, exponent: Int32(exponent), format: format)
        if format == .binarySI {
            if compareMagnitude(result, maxAllowed) > 0 {
                result = Quantity(mantissa: scanned.positive ? Int128(Int64.max) : -Int128(Int64.max),
                                  exponent: 0, format: .binarySI)
            } else if result.mantissa != 0, compareMagnitude(result, Quantity(value: 1)) < 0 {
                // Avoids rounding fractions of a byte: shown in DecimalSI.
                format = .decimalSI
                result.format = format
            }
        }
        return result
    }
}

extension Quantity: ExpressibleByStringLiteral {
    /// A literal must be a valid quantity; traps otherwise (like upstream `MustParse`).
    public init(stringLiteral value: String) {
        self = Quantity.mustParse(value)
    }
}
