import Foundation
import KubeModel

/// Random JSON instances of a schema definition, shaped as upstream would serialise them:
/// required fields always present, kinds always carrying metadata/spec/status, optional fields
/// present at random, hand-written types in their canonical wire form.
struct RandomInstance {
    let definitions: [String: JSONValue]
    var rng: SplitMix64
    let maxDepth = 4

    init(schema: JSONValue, seed: UInt64) {
        if case .object(let defs)? = schema["definitions"] { definitions = defs } else { definitions = [:] }
        rng = SplitMix64(seed: seed)
    }

    mutating func instance(of definition: String, depth: Int = 0) -> JSONValue {
        if let special = specialValue(definition, depth: depth) { return special }
        guard let def = definitions[definition] else { return .object([:]) }
        guard case .object(let props)? = def["properties"] else { return .object([:]) }
        var required = Set<String>()
        if case .array(let r)? = def["required"] { required = Set(r.compactMap(\.stringValue)) }
        let isKind = def["x-kubernetes-group-version-kind"] != nil
        var out: [String: JSONValue] = [:]
        for (key, prop) in props.sorted(by: { $0.key < $1.key }) {
            let alwaysPresent = isKind && ["metadata", "spec", "status"].contains(key) && prop["$ref"] != nil
                && !isHandWritten(prop)
            let include = required.contains(key) || alwaysPresent
                || (depth < maxDepth && Int.random(in: 0..<3, using: &rng) != 0)
            if include { out[key] = value(prop, depth: depth + 1) }
        }
        return .object(out)
    }

    private func isHandWritten(_ prop: JSONValue) -> Bool {
        guard let ref = prop["$ref"]?.stringValue else { return false }
        return Self.handWritten.contains(String(ref.dropFirst("#/definitions/".count)))
    }

    static let handWritten: Set<String> = [
        "io.k8s.apimachinery.pkg.api.resource.Quantity", "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", "io.k8s.apimachinery.pkg.runtime.RawExtension",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
    ]

    private mutating func value(_ prop: JSONValue, depth: Int) -> JSONValue {
        if let ref = prop["$ref"]?.stringValue {
            return instance(of: String(ref.dropFirst("#/definitions/".count)), depth: depth)
        }
        switch prop["type"]?.stringValue {
        case "string": return .string(randomString())
        case "boolean": return .bool(Bool.random(using: &rng))
        case "number": return .double(Double(Int.random(in: -1000...1000, using: &rng)) / 8)
        case "integer":
            if prop["format"]?.stringValue == "int32" { return .int(Int64(Int32.random(in: .min ... .max, using: &rng))) }
            return .int(Int64.random(in: -(1 << 53)...(1 << 53), using: &rng))
        case "array":
            let n = depth > maxDepth ? 0 : Int.random(in: 0...2, using: &rng)
            return .array((0..<n).map { _ in value(prop["items"] ?? .null, depth: depth + 1) })
        case "object":
            guard let additional = prop["additionalProperties"] else { return randomJSON(depth: depth) }
            let n = depth > maxDepth ? 0 : Int.random(in: 0...2, using: &rng)
            var o: [String: JSONValue] = [:]
            for _ in 0..<n { o[randomString()] = value(additional, depth: depth + 1) }
            return .object(o)
        default:
            return .null
        }
    }

    private mutating func specialValue(_ definition: String, depth: Int) -> JSONValue? {
        switch definition.split(separator: ".").last {
        case "Quantity" where definition.contains("resource.Quantity"):
            return .string(["100m", "1", "1Gi", "512Mi", "2", "1500M", "1e3", "250m", "0"].randomElement(using: &rng)!)
        case "IntOrString":
            return Bool.random(using: &rng) ? .int(Int64(Int32.random(in: 0...65535, using: &rng))) : .string(randomString())
        case "Time" where definition.contains("meta.v1"):
            return .string("20\(Int.random(in: 10...39, using: &rng))-0\(Int.random(in: 1...9, using: &rng))-1\(Int.random(in: 0...9, using: &rng))T0\(Int.random(in: 0...9, using: &rng)):1\(Int.random(in: 0...9, using: &rng)):5\(Int.random(in: 0...9, using: &rng))Z")
        case "MicroTime":
            return .string("2024-05-06T07:08:09.\(String(format: "%06d", Int.random(in: 0...999_999, using: &rng)))Z")
        case "FieldsV1", "RawExtension", "JSON":
            return randomJSON(depth: depth)
        case "JSONSchemaPropsOrArray":
            let props = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"
            return Bool.random(using: &rng) ? instance(of: props, depth: depth + 2)
                : .array([instance(of: props, depth: depth + 2)])
        case "JSONSchemaPropsOrBool":
            let props = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"
            return Bool.random(using: &rng) ? .bool(Bool.random(using: &rng)) : instance(of: props, depth: depth + 2)
        case "JSONSchemaPropsOrStringArray":
            let props = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"
            return Bool.random(using: &rng) ? .array([.string(randomString())]) : instance(of: props, depth: depth + 2)
        default:
            return nil
        }
    }

    private mutating func randomJSON(depth: Int) -> JSONValue {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return .string(randomString())
        case 1: return .int(Int64.random(in: -100...100, using: &rng))
        case 2: return .bool(Bool.random(using: &rng))
        case 3: return depth > maxDepth ? .null : .array([randomJSON(depth: depth + 1)])
        default:
            return depth > maxDepth ? .object([:]) : .object([randomString(): randomJSON(depth: depth + 1)])
        }
    }

    private mutating func randomString() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-./_ äλ\"\\")
        let n = Int.random(in: 0...12, using: &rng)
        return String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
    }
}
