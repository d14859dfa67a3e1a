extension Quantity {
    /// Upstream `Add`: exact sum. The result keeps `lhs.format`, unless `lhs` is zero, in which case it
    /// takes `rhs.format`.
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        let format = lhs.isZero ? rhs.format : lhs.format
        if rhs.isZero { return Quantity(mantissa: lhs.mantissa, exponent: lhs.exponent, format: format) }
        if lhs.isZero { return Quantity(mantissa: rhs.mantissa, exponent: rhs.exponent, format: format) }
        let low = min(lhs.exponent, rhs.exponent)
        guard let a = multiply(lhs.mantissa, byPowerOfTen: Int64(lhs.exponent) - Int64(low)),
              let b = multiply(rhs.mantissa, byPowerOfTen: Int64(rhs.exponent) - Int64(low)) else {
            // Beyond 38 significant digits: the smaller operand is below the representable precision.
            let larger = compareMagnitude(lhs, rhs) >= 0 ? lhs : rhs
            return Quantity(mantissa: larger.mantissa, exponent: larger.exponent, format: format)
        }
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow {
            // Drop one digit of precision, rounding away from zero.
            let sum2 = divideAwayFromZero(a, byPowerOfTen: 1) + divideAwayFromZero(b, byPowerOfTen: 1)
            return Quantity(mantissa: sum2, exponent: low + 1, format: format)
        }
        return Quantity(mantissa: sum, exponent: low, format: format)
    }

    /// Upstream `Sub`: exact difference; format rules as for `+`.
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        let format = lhs.isZero ? rhs.format : lhs.format
        var result = lhs + Quantity(mantissa: -rhs.mantissa, exponent: rhs.exponent, format: rhs.format)
        result.format = format
        return result
    }

    public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }
    public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }

    /// Upstream `Mul(y)`: exact product with an integer, or nil if it does not fit.
    public func multiplied(by factor: Int64) -> Quantity? {
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: Int128(factor))
        if overflow { return nil }
        return Quantity(mantissa: product, exponent: exponent, format: format)
    }

    /// Upstream `RoundUp(scale)`: the value rounded away from zero to a multiple of `10^scale`,
    /// and whether that was exact.
    public func roundedUp(toScale scale: Int32) -> (quantity: Quantity, exact: Bool) {
        if exponent >= scale || mantissa == 0 { return (self, true) }
        let rounded = Quantity.divideAwayFromZero(mantissa, byPowerOfTen: Int64(scale) - Int64(exponent))
        let result = Quantity(mantissa: rounded, exponent: scale, format: format)
        return (result, result == self)
    }
}
