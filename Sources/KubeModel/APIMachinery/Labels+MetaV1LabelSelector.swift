extension Labels.Selector {
    /// Upstream `LabelSelectorAsSelector`: `nil` → `nothing`; no labels and no expressions →
    /// `everything`; otherwise `matchLabels` become `key=value` and `matchExpressions` map
    /// `In`/`NotIn`/`Exists`/`DoesNotExist` to requirements, all validated like `Requirement.init`.
    public init(_ selector: MetaV1.LabelSelector?) throws(Labels.SelectorError) {
        guard let selector else {
            self = .nothing
            return
        }
        let matchLabels = selector.matchLabels ?? [:]
        let expressions = selector.matchExpressions ?? []
        if matchLabels.isEmpty && expressions.isEmpty {
            self = .everything
            return
        }
        var requirements: [Labels.Requirement] = []
        for key in matchLabels.keys.sorted() {
            requirements.append(try Labels.Requirement(key: key, operator: .equals, values: [matchLabels[key]!]))
        }
        for expression in expressions {
            let op: Labels.Operator
            switch expression.operator {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            default:
                throw Labels.SelectorError("\(GoFieldError.quote(expression.operator)) is not a valid label selector operator")
            }
            requirements.append(try Labels.Requirement(key: expression.key, operator: op, values: expression.values ?? []))
        }
        self.init(requirements: requirements)
    }
}
