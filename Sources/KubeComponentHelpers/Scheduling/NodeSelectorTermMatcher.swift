import KubeModel

/// One parsed node selector term (component-helpers `nodeSelectorTerm`): label requirements
/// and `metadata.name` field requirements, all ANDed.
public struct NodeSelectorTermMatcher: Sendable {
    public var labels: Labels.Selector?
    /// (value, equal) pairs on `metadata.name`; other field keys compare against "".
    public var fields: [(key: String, value: String, equal: Bool)] = []

    /// Nil for a term without requirements (it matches nothing); throws when a requirement is invalid.
    public init?(_ term: CoreV1.NodeSelectorTerm) throws(Labels.SelectorError) {
        let expressions = term.matchExpressions ?? []
        let fieldRequirements = term.matchFields ?? []
        if expressions.isEmpty && fieldRequirements.isEmpty { return nil }
        if !expressions.isEmpty {
            var requirements: [Labels.Requirement] = []
            for expression in expressions {
                let op: Labels.Operator
                switch expression.operator {
                case "In": op = .in
                case "NotIn": op = .notIn
                case "Exists": op = .exists
                case "DoesNotExist": op = .doesNotExist
                case "Gt": op = .greaterThan
                case "Lt": op = .lessThan
                default: throw Labels.SelectorError("\"\(expression.operator)\" is not a valid node selector operator")
                }
                requirements.append(try Labels.Requirement(key: expression.key, operator: op, values: expression.values ?? []))
            }
            labels = Labels.Selector(requirements: requirements)
        }
        for requirement in fieldRequirements {
            let values = requirement.values ?? []
            guard values.count == 1 else { throw Labels.SelectorError("must have one element") }
            switch requirement.operator {
            case "In": fields.append((requirement.key, values[0], true))
            case "NotIn": fields.append((requirement.key, values[0], false))
            default: throw Labels.SelectorError("\"\(requirement.operator)\" is not a supported field selector operator")
            }
        }
    }

    public func matches(labels nodeLabels: [String: String], name: String) -> Bool {
        if let labels, !labels.matches(nodeLabels) { return false }
        // Upstream skips field requirements when the node has no name.
        if !name.isEmpty {
            for field in fields {
                let actual = field.key == "metadata.name" ? name : ""
                if (actual == field.value) != field.equal { return false }
            }
        }
        return true
    }
}

/// Required node selector terms (ORed) as a PersistentVolume's node affinity or a pod's
/// required node affinity states them (component-helpers `MatchNodeSelectorTerms`): a node
/// matches when one term that parses matches it; no terms match nothing.
public enum NodeSelectorTerms {
    public static func match(_ terms: [CoreV1.NodeSelectorTerm], labels: [String: String], name: String) -> Bool {
        terms.contains { term in
            guard let matcher = (try? NodeSelectorTermMatcher(term)) ?? nil else { return false }
            return matcher.matches(labels: labels, name: name)
        }
    }
}
