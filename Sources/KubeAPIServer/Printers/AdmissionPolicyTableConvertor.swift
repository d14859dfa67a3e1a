import Foundation
import KubeModel

/// `kubectl get validatingadmissionpolicies` (NAME VALIDATIONS PARAMKIND AGE) and
/// `mutatingadmissionpolicies` (NAME MUTATIONS PARAMKIND AGE).
public struct AdmissionPolicyTableConvertor: TableConvertor {
    /// `true` for MutatingAdmissionPolicies.
    public var mutating: Bool

    public init(mutating: Bool = false) {
        self.mutating = mutating
    }

    public var columns: [TableColumnDefinition] {
        [
            Printers.name,
            mutating
                ? Printers.column("Mutations", "Mutation indicates the number of mutations rules defined in this configuration", type: "integer")
                : Printers.column("Validations", "Validations indicates the number of validation rules defined in this configuration", type: "integer"),
            Printers.column("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
            Printers.age,
        ]
    }

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        let rules: Int
        let paramKind: AdmissionregistrationV1.ParamKind?
        switch object {
        case let policy as AdmissionregistrationV1.ValidatingAdmissionPolicy:
            (rules, paramKind) = (policy.spec.validations?.count ?? 0, policy.spec.paramKind)
        case let policy as AdmissionregistrationV1.MutatingAdmissionPolicy:
            (rules, paramKind) = (policy.spec.mutations?.count ?? 0, policy.spec.paramKind)
        default:
            return Printers.placeholderRow(for: object, columns: columns, now: now)
        }
        let kind = paramKind.map { "\($0.apiVersion ?? "")/\($0.kind ?? "")" } ?? Printers.unset
        return [.string(object.metadata.name ?? ""), Printers.int(rules), .string(kind), Printers.age(object, now: now)]
    }
}
