import Foundation
import KubeModel

/// Checks shared by the controllers' kinds (deployments, replica sets, stateful sets, daemon
/// sets, jobs): a non-empty selector that matches the template's labels, valid templates,
/// non-negative counts.
enum WorkloadValidation {
    /// The selector is required and must select the template's labels.
    static func validateSelector(_ selector: MetaV1.LabelSelector?, template: CoreV1.PodTemplateSpec?, path: ValidationPath) -> [APIError.FieldCause] {
        let selectorPath = path.child("selector")
        guard let selector, (selector.matchLabels ?? [:]).isEmpty == false || (selector.matchExpressions ?? []).isEmpty == false else {
            return [.required(selectorPath)]
        }
        var causes = ObjectMetaValidation.validateLabelSelector(selector, path: selectorPath)
        guard causes.isEmpty, let parsed = try? Labels.Selector(selector) else { return causes }
        let labels = template?.metadata?.labels ?? [:]
        if !parsed.matches(labels) {
            causes.append(.invalid(path.child("template").child("metadata").child("labels"), rendered: render(labels),
                                   "`selector` does not match template `labels`"))
        }
        return causes
    }

    /// Template labels and spec, with the restart policies the kind allows.
    static func validateTemplate(_ template: CoreV1.PodTemplateSpec?, path: ValidationPath, restartPolicies: [String]) -> [APIError.FieldCause] {
        let templatePath = path.child("template")
        guard let template, let spec = template.spec else { return [.required(templatePath)] }
        var causes: [APIError.FieldCause] = []
        if let meta = template.metadata {
            causes += ObjectMetaValidation.validateLabels(meta.labels, path: templatePath.child("metadata").child("labels"))
            causes += ObjectMetaValidation.validateAnnotations(meta.annotations, path: templatePath.child("metadata").child("annotations"))
        }
        causes += PodSpecValidation.validate(spec, path: templatePath.child("spec"))
        if let policy = spec.restartPolicy, !restartPolicies.contains(policy) {
            causes.append(.notSupported(templatePath.child("spec").child("restartPolicy"), policy, restartPolicies))
        }
        if let seconds = spec.activeDeadlineSeconds, restartPolicies == ["Always"] {
            causes.append(.forbidden(templatePath.child("spec").child("activeDeadlineSeconds"),
                                     "activeDeadlineSeconds in ReplicaSet is not Supported (\(seconds))"))
        }
        return causes
    }

    static func nonNegative(_ value: Int32?, _ path: ValidationPath) -> [APIError.FieldCause] {
        guard let value, value < 0 else { return [] }
        return [.invalid(path, Int64(value), "must be greater than or equal to 0")]
    }

    static func nonNegative(_ value: Int64?, _ path: ValidationPath) -> [APIError.FieldCause] {
        guard let value, value < 0 else { return [] }
        return [.invalid(path, value, "must be greater than or equal to 0")]
    }

    /// An IntOrString that must be a non-negative integer or a percentage (`25%`).
    static func validateIntOrPercent(_ value: IntOrString?, _ path: ValidationPath) -> [APIError.FieldCause] {
        guard let value else { return [] }
        switch value {
        case .int(let i):
            return i < 0 ? [.invalid(path, Int64(i), "must be greater than or equal to 0")] : []
        case .string(let s):
            if !NameValidation.isValidPercent(s).isEmpty {
                return [.invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
            }
            if let number = Int(s.dropLast()), number > 100 {
                return [.invalid(path, s, "must not be greater than 100%")]
            }
            return []
        }
    }

    /// Whether an IntOrString is zero (`0` or `0%`).
    static func isZero(_ value: IntOrString?) -> Bool {
        switch value {
        case .int(let i)?: i == 0
        case .string(let s)?: s == "0%"
        case nil: false
        }
    }

    /// A Go-like rendering of a string map for messages: `map[string]string{"app":"web"}`.
    static func render(_ labels: [String: String]) -> String {
        "map[string]string{" + labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }

    /// A selector rendered for "field is immutable" messages.
    static func render(_ selector: MetaV1.LabelSelector) -> String {
        let labels = selector.matchLabels.map { render($0) } ?? "nil"
        return "v1.LabelSelector{MatchLabels:\(labels), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
    }

    /// The selector may not change after create (apps/v1 and batch/v1).
    static func immutableSelector(_ new: MetaV1.LabelSelector?, _ old: MetaV1.LabelSelector?, _ path: ValidationPath) -> [APIError.FieldCause] {
        guard new != old else { return [] }
        return [.immutable(path.child("selector"), new.map(render) ?? "nil")]
    }
}
