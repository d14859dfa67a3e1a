/// Maps schema definition names onto Swift names: `io.k8s.api.apps.v1.Deployment` → `AppsV1.Deployment`.
enum TypeNaming {
    /// The API groups whose types are generated (the GA groups), as definition-name prefixes.
    static let generatedPrefixes: [String] = [
        "io.k8s.api.core.v1.", "io.k8s.api.apps.v1.", "io.k8s.api.batch.v1.",
        "io.k8s.api.autoscaling.v1.", "io.k8s.api.autoscaling.v2.", "io.k8s.api.networking.v1.",
        "io.k8s.api.policy.v1.", "io.k8s.api.rbac.v1.", "io.k8s.api.coordination.v1.",
        "io.k8s.api.discovery.v1.", "io.k8s.api.events.v1.", "io.k8s.api.storage.v1.",
        "io.k8s.api.scheduling.v1.", "io.k8s.api.node.v1.",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.",
        "io.k8s.api.admissionregistration.v1.", "io.k8s.api.authentication.v1.",
        "io.k8s.api.authorization.v1.", "io.k8s.api.certificates.v1.", "io.k8s.api.flowcontrol.v1.",
        "io.k8s.apimachinery.pkg.apis.meta.v1.",
    ]

    /// Definitions written by hand in KubeModel (apimachinery basics), with their Swift type.
    static let handWritten: [String: String] = [
        "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "MetaV1.Time",
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "MetaV1.MicroTime",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "JSONValue",
        "io.k8s.apimachinery.pkg.runtime.RawExtension": "JSONValue",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": "JSONValue",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray":
            "ApiextensionsV1.JSONSchemaPropsOrArray",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool":
            "ApiextensionsV1.JSONSchemaPropsOrBool",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray":
            "ApiextensionsV1.JSONSchemaPropsOrStringArray",
    ]

    /// `io.k8s.api.apps.v1` → `AppsV1`; `...apiextensions.v1` → `ApiextensionsV1`; meta → `MetaV1`.
    static func namespace(ofDefinition name: String) -> String? {
        var parts = name.split(separator: ".").map(String.init)
        guard parts.count >= 3 else { return nil }
        parts.removeLast()
        let version = parts.removeLast()
        let group = parts.removeLast()
        return upperFirst(group) + upperFirst(version)
    }

    static func shortName(ofDefinition name: String) -> String {
        String(name.split(separator: ".").last ?? "")
    }

    /// The Swift type for a definition, qualified by its namespace.
    static func swiftType(ofDefinition name: String) -> String {
        if let hand = handWritten[name] { return hand }
        if name == "io.k8s.apimachinery.pkg.version.Info" { return "VersionInfo" }
        guard let ns = namespace(ofDefinition: name) else { return shortName(ofDefinition: name) }
        return "\(ns).\(shortName(ofDefinition: name))"
    }

    static func upperFirst(_ s: String) -> String {
        guard let f = s.first else { return s }
        return f.uppercased() + s.dropFirst()
    }

    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
        "init", "inout", "internal", "let", "open", "operator", "private", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "switch", "where", "while", "as", "Any", "catch", "false", "is", "nil", "super", "self", "Self",
        "throw", "throws", "true", "try", "Type",
    ]

    /// A JSON property name as a Swift identifier (`$ref` → `ref`, `x-kubernetes-foo` → `xKubernetesFoo`).
    static func propertyName(_ json: String) -> String {
        var name = json.hasPrefix("$") ? String(json.dropFirst()) : json
        if name.contains("-") {
            let pieces = name.split(separator: "-").map(String.init)
            name = pieces[0] + pieces.dropFirst().map(upperFirst).joined()
        }
        return name
    }

    /// The identifier as written in declarations (keywords in backticks).
    static func escaped(_ identifier: String) -> String {
        swiftKeywords.contains(identifier) ? "`\(identifier)`" : identifier
    }
}
