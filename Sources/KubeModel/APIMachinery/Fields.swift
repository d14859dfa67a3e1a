/// Field selection (upstream `k8s.io/apimachinery/pkg/fields`): `metadata.name=x,status.phase!=Running`.
public enum Fields {
    /// `=` (also written `==`) or `!=`.
    public enum Operator: String, Sendable, Hashable {
        case equals = "="
        case notEquals = "!="
    }

    /// One `field op value` term. `value` is unescaped.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        public let field: String
        public let `operator`: Operator
        public let value: String

        public init(field: String, operator op: Operator, value: String) {
            self.field = field
            self.operator = op
            self.value = value
        }

        /// A missing field reads as `""`, as upstream's `Fields.Get`.
        public func matches(_ fields: [String: String]) -> Bool {
            let actual = fields[field] ?? ""
            return self.operator == .equals ? actual == value : actual != value
        }

        /// `field=value` / `field!=value`, with the value escaped.
        public var description: String { field + self.operator.rawValue + Fields.escapeValue(value) }
    }

    /// A malformed field selector; `message` is upstream's error text.
    public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Upstream `EscapeValue`: `\` → `\\`, `,` → `\,`, `=` → `\=`.
    public static func escapeValue(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            if c == "\\" || c == "," || c == "=" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Upstream `UnescapeValue`: undoes `escapeValue`; rejects unknown escapes, a trailing `\`, and bare
    /// `,` or `=`.
    public static func unescapeValue(_ s: String) throws(SelectorError) -> String {
        var out = ""
        var inSlash = false
        for c in s {
            if inSlash {
                guard c == "\\" || c == "," || c == "=" else {
                    throw SelectorError("invalid field selector: invalid escape sequence: \\\(c)")
                }
                out.append(c)
                inSlash = false
                continue
            }
            switch c {
            case "\\": inSlash = true
            case ",", "=": throw SelectorError("invalid field selector: unescaped character in value: \(c)")
            default: out.append(c)
            }
        }
        if inSlash { throw SelectorError("invalid field selector: invalid escape sequence: \\") }
        return out
    }
}
