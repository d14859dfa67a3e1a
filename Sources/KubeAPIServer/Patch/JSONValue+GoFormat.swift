import Foundation
import KubeModel

/// JSON values rendered the way Go's `fmt` prints the `interface{}` trees upstream decodes JSON
/// into, so patch error messages read like upstream's (`map[name:a value:b]`, `[1 2]`, `<nil>`).
extension JSONValue {
    /// `fmt.Sprintf("%v", value)`.
    var goDescription: String {
        switch self {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return Self.goFloat(d)
        case .string(let s): return s
        case .array(let items): return "[" + items.map(\.goDescription).joined(separator: " ") + "]"
        case .object(let members):
            let rendered = members.keys.sorted().map { "\($0):\(members[$0]!.goDescription)" }
            return "map[" + rendered.joined(separator: " ") + "]"
        }
    }

    /// `fmt.Sprintf("%s", value)`: strings as they are, anything else flagged as Go does.
    var goStringVerb: String {
        switch self {
        case .string(let s): return s
        case .null: return "%!s(<nil>)"
        default: return "%!s(\(goTypeName)=\(goDescription))"
        }
    }

    /// The Go type a JSON value decodes to (`reflect.TypeOf(v).String()`).
    var goTypeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    /// Go's `%v` of a float64: the shortest digits that round-trip, in exponent form when the
    /// decimal exponent is below -4 or at least 6 (`1e+06`, `0.0001`, `1.5`).
    static func goFloat(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "NaN" : (d < 0 ? "-Inf" : "+Inf") }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        let (digits, pointPosition) = shortestDigits(abs(d))
        let sign = d < 0 ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            let exponentText = (magnitude < 10 ? "0" : "") + String(magnitude)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exponentText
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        let index = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<index] + "." + digits[index...]
    }

    /// The significant decimal digits of a positive finite double (shortest round-trip form)
    /// and the position of the decimal point relative to them (`123.4` → ("1234", 3)).
    private static func shortestDigits(_ d: Double) -> (String, Int) {
        let text = "\(d)"  // Swift prints the shortest round-tripping representation.
        var mantissa = text
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integral = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = integral + fraction
        var point = integral.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}
