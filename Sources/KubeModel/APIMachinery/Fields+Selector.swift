extension Fields {
    /// A parsed field selector: the AND of its terms (upstream `fields.Selector`).
    ///
    /// The API server decides which fields a kind supports by inspecting `requirements`.
    public struct Selector: Sendable, Hashable, CustomStringConvertible {
        /// Terms in upstream's order (sorted by their source text).
        public let requirements: [Requirement]
        /// True only for `nothing`.
        public let matchesNothing: Bool

        /// Matches everything; renders as `""`.
        public static let everything = Selector(requirements: [])
        /// Matches nothing; renders as `""`.
        public static let nothing = Selector(requirements: [], nothing: true)

        public init(requirements: [Requirement]) {
            self.init(requirements: requirements, nothing: false)
        }

        private init(requirements: [Requirement], nothing: Bool) {
            self.requirements = requirements
            matchesNothing = nothing
        }

        /// Upstream `SelectorFromSet`: `field=value` terms in field order.
        public init(matching set: [String: String]) {
            self.init(requirements: set.keys.sorted().map { Requirement(field: $0, operator: .equals, value: set[$0]!) })
        }

        /// Upstream `ParseSelector`: comma-separated `field=value`, `field==value` or `field!=value`
        /// terms; `\,` `\=` `\\` escape inside values; empty terms are skipped.
        public init(parsing selector: String) throws(SelectorError) {
            var terms = Selector.splitTerms(selector)
            terms.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            var requirements: [Requirement] = []
            for term in terms where !term.isEmpty {
                guard let (field, op, rawValue) = Selector.splitTerm(term) else {
                    throw SelectorError("invalid selector: '\(selector)'; can't understand '\(term)'")
                }
                requirements.append(Requirement(field: field, operator: op, value: try unescapeValue(rawValue)))
            }
            self.init(requirements: requirements)
        }

        /// Every term holds; missing fields read as `""`.
        public func matches(_ fields: [String: String]) -> Bool {
            !matchesNothing && requirements.allSatisfy { $0.matches(fields) }
        }

        /// True for `everything` (no terms).
        public var isEmpty: Bool { !matchesNothing && requirements.isEmpty }

        /// The value the first `field=value` term on `field` pins, if any (e.g. `metadata.name`).
        public func requiresExactMatch(_ field: String) -> String? {
            if matchesNothing { return nil }
            return requirements.first { $0.field == field && $0.operator == .equals }?.value
        }

        /// Terms joined by `,` with values escaped (`==` renders as `=`).
        public var description: String { requirements.map(\.description).joined(separator: ",") }

        /// Splits on commas not preceded by a backslash escape.
        static func splitTerms(_ s: String) -> [String] {
            if s.isEmpty { return [] }
            var terms: [String] = []
            var current = ""
            var inSlash = false
            for c in s {
                if inSlash {
                    inSlash = false
                } else if c == "\\" {
                    inSlash = true
                } else if c == "," {
                    terms.append(current)
                    current = ""
                    continue
                }
                current.append(c)
            }
            terms.append(current)
            return terms
        }

        /// Splits at the first `!=`, `==` or `=` (left to right).
        static func splitTerm(_ term: String) -> (String, Operator, String)? {
            var index = term.startIndex
            while index < term.endIndex {
                let rest = term[index...]
                if rest.hasPrefix("!=") {
                    return (String(term[..<index]), .notEquals, String(rest.dropFirst(2)))
                }
                if rest.hasPrefix("==") {
                    return (String(term[..<index]), .equals, String(rest.dropFirst(2)))
                }
                if rest.hasPrefix("=") {
                    return (String(term[..<index]), .equals, String(rest.dropFirst(1)))
                }
                index = term.index(after: index)
            }
            return nil
        }
    }
}
