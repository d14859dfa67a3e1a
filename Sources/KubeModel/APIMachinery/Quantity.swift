/// A fixed-point number with a unit suffix (`resource.Quantity` upstream), e.g. `"100m"`, `"1.5Gi"`, `"1e3"`.
///
/// The value is held exactly as `mantissa × 10^exponent` (no floating point). Parsing rounds any
/// non-zero value *up* (away from zero) to a multiple of 1n (10⁻⁹) and caps binary-suffixed values at
/// 2⁶³−1, like upstream. The suffix family seen while parsing is remembered in `format` and used again
/// when the quantity is rendered in canonical form (`description`, JSON).
///
/// Equality, hashing and ordering are by value: `Quantity("1000m") == Quantity("1")`.
///
/// Limits of this implementation (upstream uses arbitrary precision): the mantissa is an `Int128`
/// (38 significant digits). Inputs needing more significant digits above 1n are rejected with
/// `ParseError.numeric`; sums that would need more are approximated by the larger operand.
public struct Quantity: Sendable {
    /// How a quantity is written: which suffix family it uses.
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        /// `12e6`, `1e-3`.
        case decimalExponent = "DecimalExponent"
        /// `12Mi` (12 × 2²⁰).
        case binarySI = "BinarySI"
        /// `12M` (12 × 10⁶), `100m`.
        case decimalSI = "DecimalSI"
    }

    /// The unscaled value; never has trailing decimal zeros unless it is zero.
    public private(set) var mantissa: Int128
    /// Power of ten applied to `mantissa`; `0` when the value is zero.
    public private(set) var exponent: Int32
    /// The suffix family used when rendering.
    public var format: Format

    /// `mantissa × 10^exponent`, normalised.
    public init(mantissa: Int128, exponent: Int32, format: Format = .decimalSI) {
        var m = mantissa
        var e = exponent
        if m == 0 {
            e = 0
        } else {
            while m % 10 == 0 && e < Int32.max {
                m /= 10
                e += 1
            }
        }
        self.mantissa = m
        self.exponent = e
        self.format = format
    }

    /// Upstream `NewQuantity(value, format)`.
    public init(value: Int64, format: Format = .decimalSI) {
        self.init(mantissa: Int128(value), exponent: 0, format: format)
    }

    /// Upstream `NewMilliQuantity(value, format)`: `value / 1000`.
    public init(milli: Int64, format: Format = .decimalSI) {
        self.init(mantissa: Int128(milli), exponent: -3, format: format)
    }

    /// Upstream `NewScaledQuantity(value, scale)`: `value × 10^scale`, DecimalSI.
    public init(scaled value: Int64, scale: Int32) {
        self.init(mantissa: Int128(value), exponent: scale, format: .decimalSI)
    }

    /// The zero quantity (DecimalSI).
    public static let zero = Quantity(value: 0)

    public var isZero: Bool { mantissa == 0 }

    /// -1, 0 or 1.
    public var sign: Int { mantissa == 0 ? 0 : (mantissa < 0 ? -1 : 1) }

    /// Upstream `Value()`: the value rounded up (away from zero) to an integer, clamped to `Int64`.
    public var value: Int64 { scaledValue(0) }

    /// Upstream `MilliValue()`: `ceil(q × 1000)` (away from zero), clamped to `Int64`.
    public var milliValue: Int64 { scaledValue(-3) }

    /// Upstream `ScaledValue(scale)`: `q / 10^scale`, rounded away from zero, clamped to `Int64`.
    public func scaledValue(_ scale: Int32) -> Int64 {
        if mantissa == 0 { return 0 }
        let delta = Int64(exponent) - Int64(scale)
        let scaled: Int128
        if delta >= 0 {
            guard let up = Quantity.multiply(mantissa, byPowerOfTen: delta) else {
                return mantissa < 0 ? Int64.min : Int64.max
            }
            scaled = up
        } else {
            scaled = Quantity.divideAwayFromZero(mantissa, byPowerOfTen: -delta)
        }
        if scaled > Int128(Int64.max) { return Int64.max }
        if scaled < Int128(Int64.min) { return Int64.min }
        return Int64(scaled)
    }

    /// The value converted to `Double` (approximate; for display and ratios only).
    public var approximateDouble: Double {
        var d = Double(mantissa)
        var e = exponent
        while e > 0 { d *= 10; e -= 1 }
        while e < 0 { d /= 10; e += 1 }
        return d
    }

    /// The negated quantity, same format.
    public static prefix func - (q: Quantity) -> Quantity {
        Quantity(mantissa: -q.mantissa, exponent: q.exponent, format: q.format)
    }
}

// MARK: - Exact Int128 helpers

extension Quantity {
    static let powersOfTen: [Int128] = {
        var table: [Int128] = [1]
        var p: Int128 = 1
        for _ in 1...38 {
            p *= 10
            table.append(p)
        }
        return table
    }()

    /// `value × 10^power`, or nil on overflow.
    static func multiply(_ value: Int128, byPowerOfTen power: Int64) -> Int128? {
        if value == 0 || power == 0 { return value }
        guard power > 0, power <= 38 else { return power > 0 ? nil : value }
        let (r, overflow) = value.multipliedReportingOverflow(by: powersOfTen[Int(power)])
        return overflow ? nil : r
    }

    /// `value / 10^power`, rounded away from zero (upstream's rounding direction for quantities).
    static func divideAwayFromZero(_ value: Int128, byPowerOfTen power: Int64) -> Int128 {
        if power <= 0 || value == 0 { return value }
        if power > 38 { return value < 0 ? -1 : 1 }
        let (q, r) = value.quotientAndRemainder(dividingBy: powersOfTen[Int(power)])
        if r == 0 { return q }
        return value < 0 ? q - 1 : q + 1
    }

    /// Compares `|a.mantissa| × 10^a.exponent` with the same for `b`, exactly.
    static func compareMagnitude(_ a: Quantity, _ b: Quantity) -> Int {
        let ma = a.mantissa.magnitude
        let mb = b.mantissa.magnitude
        if ma == 0 || mb == 0 { return ma == mb ? 0 : (ma == 0 ? -1 : 1) }
        if a.exponent == b.exponent { return ma == mb ? 0 : (ma < mb ? -1 : 1) }
        if a.exponent > b.exponent {
            guard let scaled = scaleMagnitude(ma, by: Int64(a.exponent) - Int64(b.exponent)) else { return 1 }
            return scaled == mb ? 0 : (scaled < mb ? -1 : 1)
        }
        guard let scaled = scaleMagnitude(mb, by: Int64(b.exponent) - Int64(a.exponent)) else { return -1 }
        return ma == scaled ? 0 : (ma < scaled ? -1 : 1)
    }

    private static func scaleMagnitude(_ m: UInt128, by power: Int64) -> UInt128? {
        guard power <= 38 else { return nil }
        let (r, overflow) = m.multipliedReportingOverflow(by: UInt128(powersOfTen[Int(power)]))
        return overflow ? nil : r
    }
}

// MARK: - Value semantics

extension Quantity: Equatable, Hashable, Comparable {
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        // Both sides are normalised, so equal values have identical (mantissa, exponent).
        lhs.mantissa == rhs.mantissa && lhs.exponent == rhs.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mantissa)
        hasher.combine(exponent)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.compare(rhs) < 0
    }

    /// Upstream `Cmp`: -1, 0 or 1.
    public func compare(_ other: Quantity) -> Int {
        if sign != other.sign { return sign < other.sign ? -1 : 1 }
        let magnitude = Quantity.compareMagnitude(self, other)
        return sign < 0 ? -magnitude : magnitude
    }
}
