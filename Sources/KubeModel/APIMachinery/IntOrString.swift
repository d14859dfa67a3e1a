/// `intstr.IntOrString`: a JSON number (int32) or a string, e.g. a port (`8080` / `"http"`) or a
/// percentage (`"25%"`).
public enum IntOrString: Sendable, Hashable {
    case int(Int32)
    case string(String)

    /// Upstream `IntValue()`: the int, or the string parsed as a decimal integer (0 if it is not one).
    public var intValue: Int {
        switch self {
        case .int(let i): return Int(i)
        case .string(let s): return Int(s) ?? 0
        }
    }

    /// Upstream `GetScaledValueFromIntOrPercent`: an int is returned as is; a string must be
    /// `"<integer>%"` and yields that percentage of `total`, rounded up or down.
    /// Throws with upstream's message otherwise.
    public func scaledValue(total: Int, roundUp: Bool) throws(IntOrString.ScaleError) -> Int {
        switch self {
        case .int(let i):
            return Int(i)
        case .string(let s):
            guard s.hasSuffix("%") else {
                throw ScaleError(message: "invalid value for IntOrString: invalid type: string is not a percentage")
            }
            let number = String(s.dropLast())
            guard let percent = IntOrString.atoi(number) else {
                throw ScaleError(message: "invalid value for IntOrString: invalid value \"\(s)\": "
                    + "strconv.Atoi: parsing \"\(number)\": invalid syntax")
            }
            let product = percent * total
            let (q, r) = product.quotientAndRemainder(dividingBy: 100)
            if r == 0 { return q }
            if roundUp { return r > 0 ? q + 1 : q }
            return r < 0 ? q - 1 : q
        }
    }

    /// The error thrown by `scaledValue(total:roundUp:)`.
    public struct ScaleError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Go `strconv.Atoi` syntax: optional sign then ASCII digits.
    private static func atoi(_ s: String) -> Int? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard !body.isEmpty, body.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(s)
    }
}

extension IntOrString: Codable {
    /// Decodes a JSON integer (must fit Int32) or a JSON string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let i = try? container.decode(Int32.self) {
            self = .int(i)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an int32 or a string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let i): try container.encode(i)
        case .string(let s): try container.encode(s)
        }
    }
}

extension IntOrString: CustomStringConvertible {
    /// Upstream `String()`: the string, or the decimal form of the int.
    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }
}

extension IntOrString: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int32) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
