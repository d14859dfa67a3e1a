import Foundation

extension Quantity: Codable {
    /// Decodes a JSON string (surrounding whitespace tolerated, as upstream) or a JSON number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else if let number = try? container.decode(Double.self) {
            // JSONDecoder offers no access to the literal text; Double's shortest round-trip form is the
            // closest stand-in (it may use exponent notation, which the parser accepts).
            text = number.description.replacingOccurrences(of: "e+", with: "e")
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "quantity must be a string or number")
        }
        do {
            self = try Quantity(parsing: Quantity.trimmingSpaces(text))
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the canonical string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func trimmingSpaces(_ s: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        guard let first = s.firstIndex(where: { !isSpace($0) }), let last = s.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(s[first...last])
    }
}
