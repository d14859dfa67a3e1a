/// Lexer and recursive-descent parser for label selector strings, with upstream's grammar and messages:
///
///     selector    ::= requirement ("," requirement)*
///     requirement ::= ["!"] KEY [ ("in" | "notin") "(" values ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
///
/// Whitespace (space, tab, CR, LF) separates tokens; `in`/`notin` are keywords only in operator position.
struct LabelSelectorParser {
    enum Token: Equatable {
        case error, end, closePar, comma, doesNotExist, doubleEquals, equals, greaterThan, identifier, `in`,
             lessThan, notEquals, notIn, openPar
    }

    private static let literals: [String: Token] = [
        ")": .closePar, ",": .comma, "!": .doesNotExist, "==": .doubleEquals, "=": .equals, ">": .greaterThan,
        "in": .in, "<": .lessThan, "!=": .notEquals, "notin": .notIn, "(": .openPar,
    ]

    private var items: [(token: Token, literal: String)] = []
    private var position = 0

    init(_ string: String) {
        items = LabelSelectorParser.lex(Array(string.utf8))
    }

    private static func isWhitespace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n")
    }

    private static func isSpecial(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","),
             UInt8(ascii: ">"), UInt8(ascii: "<"):
            return true
        default:
            return false
        }
    }

    private static func lex(_ s: [UInt8]) -> [(token: Token, literal: String)] {
        var out: [(token: Token, literal: String)] = []
        var pos = 0
        // A NUL byte ends the input, as in upstream's lexer.
        let end = s.firstIndex(of: 0) ?? s.count
        while true {
            while pos < end, isWhitespace(s[pos]) { pos += 1 }
            if pos >= end {
                out.append((.end, ""))
                return out
            }
            if isSpecial(s[pos]) {
                var buffer: [UInt8] = []
                var last: (Token, String)?
                while pos < end, isSpecial(s[pos]) {
                    buffer.append(s[pos])
                    let text = String(decoding: buffer, as: UTF8.self)
                    if let token = literals[text] {
                        last = (token, text)
                    } else if last != nil {
                        break
                    }
                    pos += 1
                }
                if let last {
                    out.append(last)
                } else {
                    out.append((.error, "error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'"))
                }
            } else {
                let start = pos
                while pos < end, !isSpecial(s[pos]), !isWhitespace(s[pos]) { pos += 1 }
                let text = String(decoding: s[start..<pos], as: UTF8.self)
                out.append((literals[text] ?? .identifier, text))
            }
            if out.last?.token == .error {
                out.append((.end, ""))
                return out
            }
        }
    }

    /// In value context the keywords `in`/`notin` are plain identifiers.
    private func lookahead(values: Bool) -> (token: Token, literal: String) {
        var item = items[min(position, items.count - 1)]
        if values, item.token == .in || item.token == .notIn { item.token = .identifier }
        return item
    }

    private mutating func consume(values: Bool) -> (token: Token, literal: String) {
        let item = lookahead(values: values)
        position += 1
        return item
    }

    mutating func parse() throws(Labels.SelectorError) -> [Labels.Requirement] {
        var requirements: [Labels.Requirement] = []
        while true {
            let (token, literal) = lookahead(values: true)
            switch token {
            case .identifier, .doesNotExist:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw Labels.SelectorError("unable to parse requirement: \(error.message)")
                }
                let (next, nextLiteral) = consume(values: true)
                switch next {
                case .end:
                    return requirements
                case .comma:
                    let (after, afterLiteral) = lookahead(values: true)
                    if after != .identifier && after != .doesNotExist {
                        throw Labels.SelectorError("found '\(afterLiteral)', expected: identifier after ','")
                    }
                default:
                    throw Labels.SelectorError("found '\(nextLiteral)', expected: ',' or 'end of string'")
                }
            case .end:
                return requirements
            default:
                throw Labels.SelectorError("found '\(literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(Labels.SelectorError) -> Labels.Requirement {
        var op: Labels.Operator?
        var (token, literal) = consume(values: true)
        if token == .doesNotExist {
            op = .doesNotExist
            (token, literal) = consume(values: true)
        }
        guard token == .identifier else { throw Labels.SelectorError("found '\(literal)', expected: identifier") }
        let keyErrors = NameValidation.isQualifiedName(literal)
        if !keyErrors.isEmpty {
            throw Labels.SelectorError(GoFieldError.invalid("<nil>", literal, keyErrors.joined(separator: "; ")))
        }
        let key = literal
        let next = lookahead(values: true).token
        if next == .end || next == .comma {
            return try Labels.Requirement(key: key, operator: op ?? .exists, values: [])
        }
        if op == .doesNotExist {
            // `!key` takes no operator; whatever follows is rejected by the caller.
            return try Labels.Requirement(key: key, operator: .doesNotExist, values: [])
        }
        let binary = try parseOperator()
        let values: Set<String>
        switch binary {
        case .in, .notIn: values = try parseValues()
        default: values = try parseExactValue()
        }
        return try Labels.Requirement(key: key, operator: binary, values: values.sorted())
    }

    private mutating func parseOperator() throws(Labels.SelectorError) -> Labels.Operator {
        let (token, literal) = consume(values: false)
        switch token {
        case .in: return .in
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        case .notIn: return .notIn
        case .notEquals: return .notEquals
        default: throw Labels.SelectorError("found '\(literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
    }

    private mutating func parseValues() throws(Labels.SelectorError) -> Set<String> {
        let (open, openLiteral) = consume(values: true)
        guard open == .openPar else { throw Labels.SelectorError("found '\(openLiteral)' expected: '('") }
        let (token, literal) = lookahead(values: true)
        switch token {
        case .identifier, .comma:
            let set = try parseIdentifiersList()
            if consume(values: true).token != .closePar {
                throw Labels.SelectorError("found '\(literal)', expected: ')'")
            }
            return set
        case .closePar:
            _ = consume(values: true)
            return [""]
        default:
            throw Labels.SelectorError("found '\(literal)', expected: ',', ')' or identifier")
        }
    }

    private mutating func parseIdentifiersList() throws(Labels.SelectorError) -> Set<String> {
        var set = Set<String>()
        while true {
            let (token, literal) = consume(values: true)
            switch token {
            case .identifier:
                set.insert(literal)
                let (next, nextLiteral) = lookahead(values: true)
                switch next {
                case .comma: continue
                case .closePar: return set
                default: throw Labels.SelectorError("found '\(nextLiteral)', expected: ',' or ')'")
                }
            case .comma:
                if set.isEmpty { set.insert("") }
                let next = lookahead(values: true).token
                if next == .closePar {
                    set.insert("")
                    return set
                }
                if next == .comma { set.insert("") }
            default:
                throw Labels.SelectorError("found '\(literal)', expected: ',', or identifier")
            }
        }
    }

    private mutating func parseExactValue() throws(Labels.SelectorError) -> Set<String> {
        let next = lookahead(values: true).token
        if next == .end || next == .comma { return [""] }
        let (token, literal) = consume(values: true)
        guard token == .identifier else { throw Labels.SelectorError("found '\(literal)', expected: identifier") }
        return [literal]
    }
}
