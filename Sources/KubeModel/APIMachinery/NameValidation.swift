/// Upstream `k8s.io/apimachinery/pkg/util/validation` (and `api/validate/content`) string checks.
///
/// Every check returns a list of human-readable problems, empty when the value is valid; the messages
/// are upstream's, word for word, so they can be surfaced in API `Status` errors unchanged.
/// Lengths are counted in UTF-8 bytes, as Go's `len` does.
public enum NameValidation {
    public static let dns1123LabelMaxLength = 63
    public static let dns1123SubdomainMaxLength = 253
    public static let dns1035LabelMaxLength = 63
    public static let labelValueMaxLength = 63
    public static let labelKeyNameMaxLength = 63

    static let dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
    static let dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let labelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFmt = "(" + labelKeyFmt + ")?"
    static let cIdentifierFmt = "[A-Za-z_][A-Za-z0-9_]*"
    static let labelKeyErrMsg =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    // MARK: - Message builders (upstream MaxLenError, RegexError, EmptyError, InclusiveRangeError)

    public static func maxLenError(_ length: Int) -> String { "must be no more than \(length) characters" }

    public static func emptyError() -> String { "must be non-empty" }

    public static func inclusiveRangeError(_ lo: Int, _ hi: Int) -> String { "must be between \(lo) and \(hi), inclusive" }

    public static func regexError(_ message: String, _ format: String, examples: [String] = []) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '" + format + "')" }
        let quoted = examples.map { "'" + $0 + "', " }.joined(separator: " or ")
        return message + " (e.g. " + quoted + "regex used for validation is '" + format + "')"
    }

    // MARK: - DNS names

    /// RFC 1123 label: lower-case alphanumerics and '-', alphanumeric at both ends, ≤ 63 bytes.
    public static func isDNS1123Label(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errs.append(maxLenError(dns1123LabelMaxLength)) }
        if !matchesDNS1123Label(value.utf8[...]) {
            if matchesDNS1123Subdomain(value) {
                errs.append("must not contain dots")
            } else {
                errs.append(regexError(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                    dns1123LabelFmt, examples: ["my-name", "123-abc"]))
            }
        }
        return errs
    }

    /// RFC 1123 subdomain: dot-separated RFC 1123 labels, ≤ 253 bytes.
    public static func isDNS1123Subdomain(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errs.append(maxLenError(dns1123SubdomainMaxLength)) }
        if !matchesDNS1123Subdomain(value) {
            errs.append(regexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                dns1123SubdomainFmt, examples: ["example.com"]))
        }
        return errs
    }

    /// RFC 1035 label: like an RFC 1123 label but must start with a letter.
    public static func isDNS1035Label(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1035LabelMaxLength { errs.append(maxLenError(dns1035LabelMaxLength)) }
        let bytes = value.utf8
        if !(matchesDNS1123Label(bytes[...]) && bytes.first.map(isLowerAlpha) == true) {
            errs.append(regexError(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                dns1035LabelFmt, examples: ["my-name", "abc-123"]))
        }
        return errs
    }

    // MARK: - Labels and annotations

    /// Upstream `IsQualifiedName` / `IsLabelKey`: `[prefix/]name`, where prefix is a DNS subdomain and
    /// name is ≤ 63 bytes of alphanumerics, '-', '_' and '.', alphanumeric at both ends.
    public static func isQualifiedName(_ value: String) -> [String] {
        var errs: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errs.append("prefix part " + emptyError())
            } else {
                errs += isDNS1123Subdomain(String(prefix)).map { "prefix part " + $0 }
            }
        default:
            return ["a valid label key " + regexError(labelKeyErrMsg, labelKeyFmt, examples: ["MyName", "my.name", "123-abc"])
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errs.append("name part " + emptyError())
        } else if name.utf8.count > labelKeyNameMaxLength {
            errs.append("name part " + maxLenError(labelKeyNameMaxLength))
        }
        if !matchesLabelKeyName(name.utf8) {
            errs.append("name part " + regexError(labelKeyErrMsg, labelKeyFmt, examples: ["MyName", "my.name", "123-abc"]))
        }
        return errs
    }

    /// Upstream `IsValidLabelValue`: empty, or ≤ 63 bytes shaped like a label key name.
    public static func isValidLabelValue(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > labelValueMaxLength { errs.append(maxLenError(labelValueMaxLength)) }
        if !value.isEmpty && !matchesLabelKeyName(value.utf8[...]) {
            errs.append(regexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                labelValueFmt, examples: ["MyValue", "my_value", "12345"]))
        }
        return errs
    }

    // MARK: - Ports and identifiers

    /// Upstream `IsValidPortName` (IANA service name): ≤ 15 bytes of [-a-z0-9], at least one letter,
    /// no leading/trailing or doubled hyphen.
    public static func isValidPortName(_ port: String) -> [String] {
        var errs: [String] = []
        let bytes = port.utf8
        if bytes.count > 15 { errs.append(maxLenError(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ isLowerAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) {
            errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: isLowerAlpha) { errs.append("must contain at least one letter (a-z)") }
        if port.contains("--") { errs.append("must not contain consecutive hyphens") }
        if let first = bytes.first, let last = bytes.last, first == UInt8(ascii: "-") || last == UInt8(ascii: "-") {
            errs.append("must not begin or end with a hyphen")
        }
        return errs
    }

    /// Upstream `IsValidPortNum`: 1…65535.
    public static func isValidPortNum(_ port: Int) -> [String] {
        (1...65535).contains(port) ? [] : [inclusiveRangeError(1, 65535)]
    }

    /// Upstream `IsCIdentifier`: `[A-Za-z_][A-Za-z0-9_]*` (format only, no length limit).
    public static func isCIdentifier(_ value: String) -> [String] {
        let bytes = value.utf8
        if let first = bytes.first, isAlpha(first) || first == UInt8(ascii: "_"),
           bytes.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "_") }) {
            return []
        }
        return [regexError(
            "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
            cIdentifierFmt, examples: ["my_name", "MY_NAME", "MyName"])]
    }

    /// Upstream `IsValidPercent`: `[0-9]+%`.
    public static func isValidPercent(_ value: String) -> [String] {
        let bytes = value.utf8
        if bytes.count >= 2, bytes.last == UInt8(ascii: "%"), bytes.dropLast().allSatisfy(isDigit) { return [] }
        return [regexError("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%",
                           examples: ["1%", "93%"])]
    }

    // MARK: - Object names (upstream api/validation ValidateNameFunc flavour)

    /// Object name that must be a DNS subdomain. With `prefix` (a `generateName`), a trailing '-' is allowed.
    public static func nameIsDNSSubdomain(_ name: String, prefix: Bool) -> [String] {
        isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name)
    }

    /// Object name that must be an RFC 1123 label. With `prefix`, a trailing '-' is allowed.
    public static func nameIsDNSLabel(_ name: String, prefix: Bool) -> [String] {
        isDNS1123Label(prefix ? maskTrailingDash(name) : name)
    }

    /// Object name that must be an RFC 1035 label (e.g. Services). With `prefix`, a trailing '-' is allowed.
    public static func nameIsDNS1035Label(_ name: String, prefix: Bool) -> [String] {
        isDNS1035Label(prefix ? maskTrailingDash(name) : name)
    }

    /// Upstream's generateName trick: a name ending in '-' has its last two bytes replaced by "a"
    /// (so it is one byte shorter) before validation.
    static func maskTrailingDash(_ name: String) -> String {
        let bytes = Array(name.utf8)
        guard bytes.count > 1, bytes.last == UInt8(ascii: "-") else { return name }
        return String(decoding: bytes.dropLast(2), as: UTF8.self) + "a"
    }

    // MARK: - Character matchers

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isLowerAlpha(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    static func isAlpha(_ c: UInt8) -> Bool { isLowerAlpha(c) || (c >= 0x41 && c <= 0x5A) }
    static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }

    static func matchesDNS1123Label<S: BidirectionalCollection<UInt8>>(_ s: S) -> Bool {
        guard let first = s.first, let last = s.last else { return false }
        let lowerAlnum: (UInt8) -> Bool = { isLowerAlpha($0) || isDigit($0) }
        return lowerAlnum(first) && lowerAlnum(last) && s.allSatisfy { lowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func matchesDNS1123Subdomain(_ value: String) -> Bool {
        value.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy {
            matchesDNS1123Label($0)
        }
    }

    static func matchesLabelKeyName<S: BidirectionalCollection<UInt8>>(_ s: S) -> Bool {
        guard let first = s.first, let last = s.last else { return false }
        return isAlnum(first) && isAlnum(last) && s.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }
}
