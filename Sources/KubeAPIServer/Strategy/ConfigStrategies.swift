import Foundation
import KubeModel

/// ConfigMaps and Secrets: key syntax, the 1 MiB data limit, `immutable`, a Secret's default
/// type `Opaque` (and that the type never changes).
enum ConfigDataValidation {
    static let maxDataSize = 1024 * 1024

    /// Upstream's `IsConfigMapKey`.
    static func keyProblems(_ key: String) -> [String] {
        var problems: [String] = []
        if key.utf8.count > NameValidation.dns1123SubdomainMaxLength {
            problems.append(NameValidation.maxLenError(NameValidation.dns1123SubdomainMaxLength))
        }
        let allowed = key.unicodeScalars.allSatisfy { s in
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "-" || s == "_" || s == "."
        }
        if key.isEmpty || !allowed {
            problems.append(NameValidation.regexError(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'", "[-._a-zA-Z0-9]+",
                examples: ["key.name", "KEY_NAME", "key-name"]))
        }
        if key == "." { problems.append("must not be '.'") }
        else if key == ".." { problems.append("must not be '..'") }
        else if key.hasPrefix("..") { problems.append("must not start with '..'") }
        return problems
    }

    /// The size of base64-encoded bytes once decoded.
    static func decodedSize(_ base64: String) -> Int {
        Data(base64Encoded: base64)?.count ?? base64.utf8.count * 3 / 4
    }

    static func validateKeys(_ keys: [String], path: ValidationPath, seen: inout Set<String>) -> [APIError.FieldCause] {
        var causes: [APIError.FieldCause] = []
        for key in keys.sorted() {
            for problem in keyProblems(key) { causes.append(.invalid(path, key, problem)) }
            if !seen.insert(key).inserted { causes.append(.duplicate(path, key)) }
        }
        return causes
    }
}

struct ConfigMapStrategy: KindStrategy {
    func validate(_ cm: CoreV1.ConfigMap) -> [APIError.FieldCause] {
        var causes = ObjectMetaValidation.validate(cm.metadata)
        var seen = Set<String>()
        causes += ConfigDataValidation.validateKeys(Array((cm.data ?? [:]).keys), path: ValidationPath("data"), seen: &seen)
        causes += ConfigDataValidation.validateKeys(Array((cm.binaryData ?? [:]).keys), path: ValidationPath("binaryData"), seen: &seen)
        let size = (cm.data ?? [:]).reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            + (cm.binaryData ?? [:]).reduce(0) { $0 + $1.key.utf8.count + ConfigDataValidation.decodedSize($1.value) }
        if size > ConfigDataValidation.maxDataSize {
            causes.append(.tooLong(ValidationPath(""), max: ConfigDataValidation.maxDataSize))
        }
        return causes
    }

    func validateUpdate(_ cm: CoreV1.ConfigMap, old: CoreV1.ConfigMap) -> [APIError.FieldCause] {
        var causes = validate(cm)
        if old.immutable == true {
            if cm.immutable != true { causes.append(.forbidden(ValidationPath("immutable"), "field is immutable when `immutable` is set")) }
            if cm.data != old.data { causes.append(.forbidden(ValidationPath("data"), "field is immutable when `immutable` is set")) }
            if cm.binaryData != old.binaryData { causes.append(.forbidden(ValidationPath("binaryData"), "field is immutable when `immutable` is set")) }
        }
        return causes
    }
}

struct SecretStrategy: KindStrategy {
    func applyDefaults(_ secret: inout CoreV1.Secret) {
        if (secret.type ?? "").isEmpty { secret.type = "Opaque" }
    }

    /// `stringData` is write-only: merged into `data` on every write.
    func prepareForCreate(_ secret: inout CoreV1.Secret) { Self.mergeStringData(&secret) }

    func prepareForUpdate(_ secret: inout CoreV1.Secret, old: CoreV1.Secret) { Self.mergeStringData(&secret) }

    static func mergeStringData(_ secret: inout CoreV1.Secret) {
        guard let strings = secret.stringData else { return }
        var data = secret.data ?? [:]
        for (key, value) in strings { data[key] = Data(value.utf8).base64EncodedString() }
        secret.data = data
        secret.stringData = nil
    }

    func validate(_ secret: CoreV1.Secret) -> [APIError.FieldCause] {
        var causes = ObjectMetaValidation.validate(secret.metadata)
        var seen = Set<String>()
        causes += ConfigDataValidation.validateKeys(Array((secret.data ?? [:]).keys), path: ValidationPath("data"), seen: &seen)
        let size = (secret.data ?? [:]).reduce(0) { $0 + $1.key.utf8.count + ConfigDataValidation.decodedSize($1.value) }
        if size > ConfigDataValidation.maxDataSize { causes.append(.tooLong(ValidationPath("data"), max: ConfigDataValidation.maxDataSize)) }
        let data = secret.data ?? [:]
        switch secret.type ?? "Opaque" {
        case "kubernetes.io/service-account-token":
            if (secret.metadata.annotations?["kubernetes.io/service-account.name"] ?? "").isEmpty {
                causes.append(.required(ValidationPath("metadata").child("annotations").key("kubernetes.io/service-account.name")))
            }
        case "kubernetes.io/dockerconfigjson":
            if data[".dockerconfigjson"] == nil { causes.append(.required(ValidationPath("data").key(".dockerconfigjson"))) }
        case "kubernetes.io/tls":
            if data["tls.crt"] == nil { causes.append(.required(ValidationPath("data").key("tls.crt"))) }
            if data["tls.key"] == nil { causes.append(.required(ValidationPath("data").key("tls.key"))) }
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil {
                causes.append(.required(ValidationPath("data").key("username")))
            }
        case "kubernetes.io/ssh-auth":
            if data["ssh-privatekey"] == nil { causes.append(.required(ValidationPath("data").key("ssh-privatekey"))) }
        default: break
        }
        return causes
    }

    func validateUpdate(_ secret: CoreV1.Secret, old: CoreV1.Secret) -> [APIError.FieldCause] {
        var causes = validate(secret)
        if secret.type != old.type { causes.append(.immutable(ValidationPath("type"), "\"\(secret.type ?? "")\"")) }
        if old.immutable == true {
            if secret.immutable != true { causes.append(.forbidden(ValidationPath("immutable"), "field is immutable when `immutable` is set")) }
            if secret.data != old.data { causes.append(.forbidden(ValidationPath("data"), "field is immutable when `immutable` is set")) }
        }
        return causes
    }
}
