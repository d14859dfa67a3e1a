import KubeModel

/// Upstream's `ValidateObjectMeta` checks that every kind shares: labels, annotations,
/// finalizers and owner references.
enum ObjectMetaValidation {
    /// Upstream's limit on the total size of an object's annotations (256 KiB).
    static let totalAnnotationSizeLimit = 256 * 1024

    static func validate(_ meta: MetaV1.ObjectMeta, path: ValidationPath = ValidationPath("metadata")) -> [APIError.FieldCause] {
        var causes = validateLabels(meta.labels, path: path.child("labels"))
        causes += validateAnnotations(meta.annotations, path: path.child("annotations"))
        for (i, finalizer) in (meta.finalizers ?? []).enumerated() {
            for message in NameValidation.isQualifiedName(finalizer) {
                causes.append(.invalid(path.child("finalizers").index(i), finalizer, message))
            }
        }
        var controllers = 0
        for (i, owner) in (meta.ownerReferences ?? []).enumerated() {
            let ownerPath = path.child("ownerReferences").index(i)
            if owner.apiVersion.isEmpty { causes.append(.invalid(ownerPath.child("apiVersion"), owner.apiVersion, "version must not be empty")) }
            if owner.kind.isEmpty { causes.append(.invalid(ownerPath.child("kind"), owner.kind, "kind must not be empty")) }
            if owner.name.isEmpty { causes.append(.invalid(ownerPath.child("name"), owner.name, "name must not be empty")) }
            if owner.uid.isEmpty { causes.append(.invalid(ownerPath.child("uid"), owner.uid, "uid must not be empty")) }
            if owner.controller == true { controllers += 1 }
        }
        if controllers > 1 {
            causes.append(.invalid(path.child("ownerReferences"), "", "Only one reference can have Controller set to true"))
        }
        return causes
    }

    /// Label keys are qualified names, values valid label values.
    static func validateLabels(_ labels: [String: String]?, path: ValidationPath) -> [APIError.FieldCause] {
        var causes: [APIError.FieldCause] = []
        for (key, value) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            for message in NameValidation.isQualifiedName(key) { causes.append(.invalid(path, key, message)) }
            for message in NameValidation.isValidLabelValue(value) { causes.append(.invalid(path.key(key), value, message)) }
        }
        return causes
    }

    static func validateAnnotations(_ annotations: [String: String]?, path: ValidationPath) -> [APIError.FieldCause] {
        var causes: [APIError.FieldCause] = []
        var total = 0
        for (key, value) in (annotations ?? [:]).sorted(by: { $0.key < $1.key }) {
            for message in NameValidation.isQualifiedName(key.lowercased()) { causes.append(.invalid(path, key, message)) }
            total += key.utf8.count + value.utf8.count
        }
        if total > totalAnnotationSizeLimit { causes.append(.tooLong(path, max: totalAnnotationSizeLimit)) }
        return causes
    }

    /// A label selector's keys and values, and its set-based requirements.
    static func validateLabelSelector(_ selector: MetaV1.LabelSelector?, path: ValidationPath) -> [APIError.FieldCause] {
        guard let selector else { return [] }
        var causes = validateLabels(selector.matchLabels, path: path.child("matchLabels"))
        for (i, requirement) in (selector.matchExpressions ?? []).enumerated() {
            let reqPath = path.child("matchExpressions").index(i)
            let values = requirement.values ?? []
            switch requirement.operator {
            case "In", "NotIn":
                if values.isEmpty { causes.append(.required(reqPath.child("values"), "must be specified when `operator` is 'In' or 'NotIn'")) }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { causes.append(.forbidden(reqPath.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")) }
            default:
                causes.append(.invalid(reqPath.child("operator"), requirement.operator, "not a valid selector operator"))
            }
            for message in NameValidation.isQualifiedName(requirement.key) {
                causes.append(.invalid(reqPath.child("key"), requirement.key, message))
            }
        }
        return causes
    }
}
