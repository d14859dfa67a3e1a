extension Labels {
    /// A parsed label selector: the AND of its requirements (upstream `labels.Selector`).
    ///
    /// Requirements are kept sorted by key (stable), so `description` is upstream's canonical string.
    public struct Selector: Sendable, Hashable, CustomStringConvertible {
        public let requirements: [Requirement]
        /// True only for `nothing`, which matches no label set.
        public let matchesNothing: Bool

        /// Matches every label set (upstream `Everything()`); renders as `""`.
        public static let everything = Selector(requirements: [])
        /// Matches no label set (upstream `Nothing()`); renders as `""`.
        public static let nothing = Selector(sorted: [], nothing: true)

        /// A selector from already-validated requirements; they are sorted by key.
        public init(requirements: [Requirement]) {
            self.init(sorted: Selector.sortedByKey(requirements), nothing: false)
        }

        private init(sorted: [Requirement], nothing: Bool) {
            requirements = sorted
            matchesNothing = nothing
        }

        /// Upstream `SelectorFromSet`: `k1=v1,k2=v2` (no validation); empty set → everything.
        public init(matching set: [String: String]) {
            self.init(requirements: set.keys.sorted().map { Requirement(unchecked: $0, .equals, [set[$0]!]) })
        }

        /// Upstream `labels.Parse`. See `Labels.Parser` for the grammar.
        public init(parsing string: String) throws(SelectorError) {
            var parser = LabelSelectorParser(string)
            self.init(requirements: try parser.parse())
        }

        /// Upstream `Selector.Matches`: every requirement holds.
        public func matches(_ labels: [String: String]) -> Bool {
            if matchesNothing { return false }
            return requirements.allSatisfy { $0.matches(labels) }
        }

        /// Upstream `Empty()`: true for `everything`.
        public var isEmpty: Bool { !matchesNothing && requirements.isEmpty }

        /// Upstream `RequiresExactMatch`: the value the first requirement on `label` pins (`=`, `==`, or a
        /// one-value `in`), if any.
        public func requiresExactMatch(_ label: String) -> String? {
            guard !matchesNothing, let r = requirements.first(where: { $0.key == label }) else { return nil }
            switch r.operator {
            case .equals, .doubleEquals, .in:
                return r.values.count == 1 ? r.values[0] : nil
            default:
                return nil
            }
        }

        /// Upstream `Add`: a copy with more requirements, re-sorted by key.
        public func adding(_ more: [Requirement]) -> Selector {
            if matchesNothing { return self }
            return Selector(requirements: requirements + more)
        }

        /// Requirements joined by `,` in key order.
        public var description: String {
            requirements.map(\.description).joined(separator: ",")
        }

        static func sortedByKey(_ requirements: [Requirement]) -> [Requirement] {
            requirements.enumerated().sorted { a, b in
                a.element.key != b.element.key ? a.element.key < b.element.key : a.offset < b.offset
            }.map(\.element)
        }
    }
}
