extension Labels {
    /// One clause of a label selector: `key <operator> values`.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        public let key: String
        public let `operator`: Operator
        /// The values as given (the parser yields them sorted and de-duplicated).
        public let values: [String]

        /// Upstream `NewRequirement`: validates the key, the value count for the operator, integer values
        /// for `gt`/`lt`, and each value as a label value. Errors use upstream's `field.Error` text.
        public init(key: String, operator op: Operator, values: [String]) throws(SelectorError) {
            var errors: [String] = []
            let keyErrors = NameValidation.isQualifiedName(key)
            if !keyErrors.isEmpty {
                errors.append(GoFieldError.invalid("key", key, keyErrors.joined(separator: "; ")))
            }
            switch op {
            case .in, .notIn:
                if values.isEmpty {
                    errors.append(GoFieldError.invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"))
                }
            case .equals, .doubleEquals, .notEquals:
                if values.count != 1 {
                    errors.append(GoFieldError.invalid("values", values, "exact-match compatibility requires one single value"))
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    errors.append(GoFieldError.invalid("values", values, "values set must be empty for exists and does not exist"))
                }
            case .greaterThan, .lessThan:
                if values.count != 1 {
                    errors.append(GoFieldError.invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"))
                }
                for (i, value) in values.enumerated() where Int64(value) == nil {
                    errors.append(GoFieldError.invalid("values[\(i)]", value, "for 'Gt', 'Lt' operators, the value must be an integer"))
                }
            }
            for (i, value) in values.enumerated() {
                let valueErrors = NameValidation.isValidLabelValue(value)
                if !valueErrors.isEmpty {
                    errors.append(GoFieldError.invalid("values[\(i)][\(key)]", value, valueErrors.joined(separator: "; ")))
                }
            }
            if !errors.isEmpty { throw SelectorError(GoFieldError.aggregate(errors)) }
            self.init(unchecked: key, op, values)
        }

        init(unchecked key: String, _ op: Operator, _ values: [String]) {
            self.key = key
            self.operator = op
            self.values = values
        }

        /// Upstream `Requirement.Matches`.
        public func matches(_ labels: [String: String]) -> Bool {
            switch self.operator {
            case .in, .equals, .doubleEquals:
                guard let value = labels[key] else { return false }
                return values.contains(value)
            case .notIn, .notEquals:
                guard let value = labels[key] else { return true }
                return !values.contains(value)
            case .exists:
                return labels[key] != nil
            case .doesNotExist:
                return labels[key] == nil
            case .greaterThan, .lessThan:
                guard let raw = labels[key], let actual = Int64(raw), values.count == 1,
                      let bound = Int64(values[0]) else { return false }
                return self.operator == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// Upstream `Requirement.String()`: `!k`, `k`, `k=v`, `k==v`, `k!=v`, `k>1`, `k<1`,
        /// `k in (a,b)`, `k notin (a,b)` (values sorted on output).
        public var description: String {
            var out = self.operator == .doesNotExist ? "!" + key : key
            switch self.operator {
            case .exists, .doesNotExist: return out
            case .equals: out += "="
            case .doubleEquals: out += "=="
            case .notEquals: out += "!="
            case .in: out += " in ("
            case .notIn: out += " notin ("
            case .greaterThan: out += ">"
            case .lessThan: out += "<"
            }
            out += values.count == 1 ? values[0] : values.sorted().joined(separator: ",")
            if self.operator == .in || self.operator == .notIn { out += ")" }
            return out
        }
    }
}
