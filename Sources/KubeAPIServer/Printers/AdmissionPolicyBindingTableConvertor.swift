import Foundation
import KubeModel

/// `kubectl get validatingadmissionpolicybindings` / `mutatingadmissionpolicybindings`:
/// NAME POLICYNAME PARAMREF AGE.
public struct AdmissionPolicyBindingTableConvertor: TableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("PolicyName", "PolicyName indicates the policy definition which the policy binding binded to"),
        Printers.column("ParamRef", "ParamRef indicates the param resource which sets the configration param"),
        Printers.age,
    ]

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        let policy: String
        let reference: AdmissionregistrationV1.ParamRef?
        switch object {
        case let binding as AdmissionregistrationV1.ValidatingAdmissionPolicyBinding:
            (policy, reference) = (binding.spec.policyName, binding.spec.paramRef)
        case let binding as AdmissionregistrationV1.MutatingAdmissionPolicyBinding:
            (policy, reference) = (binding.spec.policyName ?? "", binding.spec.paramRef)
        default:
            return Printers.placeholderRow(for: object, columns: columns, now: now)
        }
        return [.string(object.metadata.name ?? ""), .string(policy), .string(Self.paramName(reference)),
                Printers.age(object, now: now)]
    }

    /// `namespace/name`, `*/name` without a namespace, or the selector in Go's struct notation.
    static func paramName(_ reference: AdmissionregistrationV1.ParamRef?) -> String {
        guard let reference else { return Printers.unset }
        if let name = reference.name, !name.isEmpty {
            if let namespace = reference.namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
            return "*/\(name)"
        }
        if let selector = reference.selector { return goString(selector) }
        return Printers.unset
    }

    /// Upstream's generated `LabelSelector.String()`.
    static func goString(_ selector: MetaV1.LabelSelector) -> String {
        let labels = (selector.matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)," }.joined()
        let expressions = (selector.matchExpressions ?? []).map { requirement in
            "LabelSelectorRequirement{Key:\(requirement.key),Operator:\(requirement.operator),Values:[\((requirement.values ?? []).joined(separator: " "))],},"
        }.joined()
        return "&LabelSelector{MatchLabels:map[string]string{\(labels)},MatchExpressions:[]LabelSelectorRequirement{\(expressions)},}"
    }
}
